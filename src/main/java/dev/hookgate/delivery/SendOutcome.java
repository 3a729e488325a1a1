package dev.hookgate.delivery;

/**
 * What one POST to the chat server came to, and so what happens next. Pure: classified from the
 * status, the {@code Retry-After} header and the body.
 */
public sealed interface SendOutcome {
  String reason();

  record Delivered(String reason) implements SendOutcome {}

  /** 429: the whole lane waits. */
  record RateLimited(long waitMs, String reason) implements SendOutcome {}

  /** 5xx, 408, timeouts, connection errors: try again later. */
  record Retry(String reason) implements SendOutcome {}

  /** A response_url that the chat server no longer accepts (404, 400 "Invalid webhook."). */
  record Spent(String reason) implements SendOutcome {}

  /** Other 4xx: the chat server refuses this message for good. */
  record Rejected(String reason) implements SendOutcome {}

  static SendOutcome classify(int status, String retryAfter, String body, boolean responseUrl, long now) {
    String reason = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
    if (status / 100 == 2) {
      return new Delivered(reason);
    }
    if (status == 429) {
      return new RateLimited(RetryPolicy.retryAfterMs(retryAfter, now), reason);
    }
    if (status >= 500 || status == 408) {
      return new Retry(reason);
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
