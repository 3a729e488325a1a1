package dev.hookgate.delivery;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * When to try again: the configured schedule (its last step repeats) with ±20 % jitter, and
 * {@code Retry-After} in seconds or as an HTTP date, clamped to [1 s, 1 h].
 */
public final class RetryPolicy {
  static final long DEFAULT_RETRY_AFTER_MS = 1000;
  static final long MAX_RETRY_AFTER_MS = 3_600_000;

  private final List<Duration> schedule;
  private final RandomGenerator random;

  public RetryPolicy(List<Duration> schedule, RandomGenerator random) {
    if (schedule.isEmpty()) {
      throw new IllegalArgumentException("empty backoff schedule");
    }
    this.schedule = List.copyOf(schedule);
    this.random = random;
  }

  /** The delay before attempt {@code failedAttempts + 1}, after {@code failedAttempts} failures (≥ 1). */
  public long backoffMs(int failedAttempts) {
    Duration base = schedule.get(Math.min(Math.max(failedAttempts, 1), schedule.size()) - 1);
    double jitter = 0.8 + 0.4 * random.nextDouble();
    return Math.max(1, Math.round(base.toMillis() * jitter));
  }

  /** {@code Retry-After} as a delay from {@code now}; 1 s when absent or unreadable. */
  public static long retryAfterMs(String header, long now) {
    OptionalLong parsed = parseRetryAfter(header, now);
    long ms = parsed.orElse(DEFAULT_RETRY_AFTER_MS);
    return Math.max(DEFAULT_RETRY_AFTER_MS, Math.min(MAX_RETRY_AFTER_MS, ms));
  }

  static OptionalLong parseRetryAfter(String header, long now) {
    if (header == null || header.isBlank()) {
      return OptionalLong.empty();
    }
    String h = header.trim();
    try {
      return OptionalLong.of((long) (Double.parseDouble(h) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return OptionalLong.of(Math.max(0, at - now));
      } catch (RuntimeException notDate) {
        return OptionalLong.empty();
      }
    }
  }
}
