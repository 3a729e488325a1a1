package dev.hookgate.delivery;

import dev.hookgate.outbound.FailureKind;
import dev.hookgate.outbound.RateLimitHeaders;

/**
 * What one POST to the chat server came to. Pure: classified from the status, the
 * {@code Retry-After} header and the body, or from the kind of failure when nothing was answered.
 */
public sealed interface SendOutcome {
  String reason();

  /**
   * Whether the chat server may have looked the hook up (Mattermost then counts a response_url use):
   * not on a 429 (its rate limiter answers first), nor when nothing reached it (connect, DNS, TLS).
   */
  default boolean mayHaveUsedTheHook() {
    if (this instanceof RateLimited) {
      return false;
    }
    return !(this instanceof Unanswered u) || u.kind().mayHaveReachedTheServer();
  }

  /** The chat server's rate-limit headers on this answer (none when it sent none, or did not answer). */
  default RateLimitHeaders limits() {
    return RateLimitHeaders.NONE;
  }

  record Delivered(String reason, RateLimitHeaders limits) implements SendOutcome {
    public Delivered(String reason) {
      this(reason, RateLimitHeaders.NONE);
    }
  }

  /** 429: the whole lane waits. */
  record RateLimited(long waitMs, String reason, RateLimitHeaders limits) implements SendOutcome {
    public RateLimited(long waitMs, String reason) {
      this(waitMs, reason, RateLimitHeaders.NONE);
    }
  }

  /** 5xx, 408: try again later. */
  record ServerError(int status, String reason) implements SendOutcome {}

  /** No answer (connect, DNS, TLS, timeout, closed): try again later. */
  record Unanswered(FailureKind kind) implements SendOutcome {
    @Override
    public String reason() {
      return kind.phrase();
    }
  }

  /** A response_url that the chat server no longer accepts (404, 400 "Invalid webhook."). */
  record Spent(String reason) implements SendOutcome {}

  /** Other 4xx: the chat server refuses this message for good. */
  record Rejected(String reason) implements SendOutcome {}

  static SendOutcome classify(int status, String retryAfter, String body, boolean responseUrl, long now) {
    return classify(status, retryAfter, body, responseUrl, now, RateLimitHeaders.NONE);
  }

  static SendOutcome classify(int status, String retryAfter, String body, boolean responseUrl, long now,
      RateLimitHeaders limits) {
    String reason = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
    if (status / 100 == 2) {
      return new Delivered(reason, limits);
    }
    if (status == 429) {
      return new RateLimited(RetryPolicy.retryAfterMs(retryAfter, now), reason, limits);
    }
    if (status >= 500 || status == 408) {
      return new ServerError(status, reason);
    }
    if (responseUrl && (status == 404 || status == 410
        || (status == 400 && body != null && (body.contains("Invalid webhook") || body.contains("Expired url")
            // Mattermost v8+ wraps the 6th use as web.command_webhook.general.app_error
            || body.contains("command_webhook.try_use") || body.contains("web.command_webhook.general"))))) {
      return new Spent(reason);
    }
    return new Rejected(reason);
  }

  private static String abbreviate(String body) {
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
  }
}
