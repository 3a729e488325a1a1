package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  private static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofSeconds(30), Duration.ofMinutes(2));
  private static final long NOW = Instant.parse("2025-11-28T08:00:00Z").toEpochMilli();

  /** A generator that always returns the same double, to pin the jitter. */
  private static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @ParameterizedTest(name = "after {0} failures: {1} ms")
  @CsvSource({"1, 1000", "2, 5000", "3, 30000", "4, 120000", "5, 120000", "50, 120000", "0, 1000", "-3, 1000"})
  void scheduleStepsWithoutJitterAndLastStepRepeats(int failedAttempts, long expected) {
    assertEquals(expected, new RetryPolicy(SCHEDULE, fixed(0.5)).backoffMs(failedAttempts));
  }

  @Test
  void jitterSpansMinusToPlusTwentyPercent() {
    assertEquals(4000, new RetryPolicy(SCHEDULE, fixed(0.0)).backoffMs(2));
    assertEquals(6000, new RetryPolicy(SCHEDULE, fixed(1.0)).backoffMs(2));
    assertEquals(5500, new RetryPolicy(SCHEDULE, fixed(0.75)).backoffMs(2));
  }

  @Test
  void seededRandomGivesTheSameDelaysEveryRun() {
    RetryPolicy a = new RetryPolicy(SCHEDULE, new Random(42));
    Random expectedRandom = new Random(42);
    for (int attempt = 1; attempt <= 10; attempt++) {
      long base = SCHEDULE.get(Math.min(attempt, SCHEDULE.size()) - 1).toMillis();
      long expected = Math.round(base * (0.8 + 0.4 * expectedRandom.nextDouble()));
      assertEquals(expected, a.backoffMs(attempt), "attempt " + attempt);
    }
  }

  @Test
  void seededDelaysStayWithinTwentyPercentOfTheStep() {
    RetryPolicy policy = new RetryPolicy(SCHEDULE, new Random(7));
    for (int attempt = 1; attempt <= 6; attempt++) {
      long base = SCHEDULE.get(Math.min(attempt, SCHEDULE.size()) - 1).toMillis();
      for (int i = 0; i < 200; i++) {
        long d = policy.backoffMs(attempt);
        assertTrue(d >= Math.round(base * 0.8) && d <= Math.round(base * 1.2), d + " outside ±20% of " + base);
      }
    }
  }

  @Test
  void delayIsAtLeastOneMillisecond() {
    assertEquals(1, new RetryPolicy(List.of(Duration.ZERO), fixed(0.0)).backoffMs(1));
  }

  @Test
  void emptyScheduleIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(List.of(), new Random(1)));
    assertEquals("empty backoff schedule", e.getMessage());
  }

  @ParameterizedTest(name = "Retry-After [{0}] → {1} ms")
  @CsvSource(delimiter = '|', value = {
      "1      | 1000",
      "5      | 5000",
      "' 120 '| 120000",
      "2.5    | 2500",
      "0      | 1000",
      "-5     | 1000",
      "3600   | 3600000",
      "86400  | 3600000",
  })
  void retryAfterSecondsAreClampedBetweenOneSecondAndOneHour(String header, long expected) {
    assertEquals(expected, RetryPolicy.retryAfterMs(header, NOW));
  }

  @ParameterizedTest(name = "Retry-After [{0}] → 1000 ms")
  @NullSource
  @ValueSource(strings = {"", "   ", "soon", "Wed, 99 Nov 2025 08:00:00 GMT"})
  void absentOrUnreadableRetryAfterIsOneSecond(String header) {
    assertEquals(1000, RetryPolicy.retryAfterMs(header, NOW));
    assertEquals(1000, RetryPolicy.DEFAULT_RETRY_AFTER_MS);
  }

  @Test
  void retryAfterHttpDateIsADelayFromNow() {
    assertEquals(90_000, RetryPolicy.retryAfterMs("Fri, 28 Nov 2025 08:01:30 GMT", NOW));
    assertEquals(OptionalLong.of(90_000), RetryPolicy.parseRetryAfter("Fri, 28 Nov 2025 08:01:30 GMT", NOW));
  }

  @Test
  void retryAfterHttpDateIsClamped() {
    assertEquals(1000, RetryPolicy.retryAfterMs("Fri, 28 Nov 2025 07:00:00 GMT", NOW));
    assertEquals(OptionalLong.of(0), RetryPolicy.parseRetryAfter("Fri, 28 Nov 2025 07:00:00 GMT", NOW));
    assertEquals(3_600_000, RetryPolicy.retryAfterMs("Sat, 29 Nov 2025 08:00:00 GMT", NOW));
    assertEquals(RetryPolicy.MAX_RETRY_AFTER_MS, 3_600_000);
  }

  @Test
  void retryAfterHttpDateWrittenByJavaIsRead() {
    String header = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(NOW + 42_000).atOffset(ZoneOffset.UTC));
    assertEquals(42_000, RetryPolicy.retryAfterMs(header, NOW));
  }
}
