package dev.hookgate.outbound;

/** What an outbound request came to: an answer (its body read up to a cap), or none, by kind. */
public sealed interface Reply {

  /**
   * The server answered {@code status}. {@code body} is at most the client's cap, and
   * {@code complete} is false when the rest was not read (too large, or the deadline came first).
   * {@code limits}: the server's rate-limit headers, if it sent any.
   */
  record Answered(int status, String retryAfter, String body, boolean complete, RateLimitHeaders limits)
      implements Reply {
    public Answered(int status, String retryAfter, String body, boolean complete) {
      this(status, retryAfter, body, complete, RateLimitHeaders.NONE);
    }
  }

  /** No answer: the request failed before a status line arrived. */
  record Unanswered(FailureKind kind) implements Reply {}
}
