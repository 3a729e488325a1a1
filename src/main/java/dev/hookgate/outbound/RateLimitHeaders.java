package dev.hookgate.outbound;

import java.util.function.Function;

/**
 * A chat server's rate-limit headers, as Mattermost's limiter sends them on every answer:
 * {@code X-RateLimit-Limit} (requests a second), {@code X-RateLimit-Remaining} (requests left
 * now), {@code X-RateLimit-Reset} (seconds until the limit is whole again). -1: not sent or
 * unreadable.
 */
public record RateLimitHeaders(double limit, double remaining, double resetSeconds) {
  public static final RateLimitHeaders NONE = new RateLimitHeaders(-1, -1, -1);

  /** From a header lookup (case-insensitive names, as Vert.x's). */
  public static RateLimitHeaders of(Function<String, String> header) {
    double limit = number(header.apply("x-ratelimit-limit"));
    double remaining = number(header.apply("x-ratelimit-remaining"));
    double reset = number(header.apply("x-ratelimit-reset"));
    return limit < 0 && remaining < 0 && reset < 0 ? NONE : new RateLimitHeaders(limit, remaining, reset);
  }

  /** Whether the server said how many requests it still takes. */
  public boolean present() {
    return remaining >= 0;
  }

  private static double number(String v) {
    if (v == null || v.isBlank()) {
      return -1;
    }
    try {
      double d = Double.parseDouble(v.trim());
      return Double.isFinite(d) && d >= 0 ? d : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
