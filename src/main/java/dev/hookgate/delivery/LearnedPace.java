package dev.hookgate.delivery;

import dev.hookgate.outbound.RateLimitHeaders;

/**
 * The pace of one destination, learned from its chat server's answers (pure; time is passed in).
 *
 * <ul>
 *   <li>It starts at {@code rate-per-second} when configured (then also a cap it never goes
 *       above), else at {@link #DEFAULT_RATE} (capped at {@link #MAX_RATE}).
 *   <li>When answers carry Mattermost's {@code X-RateLimit-*} headers, the bucket never holds more
 *       tokens than {@code Remaining}; once it is 0, the next post waits for the server's next
 *       token ({@code Reset / Limit} seconds: Reset is rounded up, so this is never early), and
 *       the learned rate is that one. The limit is never exceeded by this lane alone.
 *   <li>On a 429 (Retry-After is obeyed by the lane's pause), the rate is halved (multiplicative
 *       decrease) and the rate it had becomes a ceiling for {@link #CEILING_MS}; without the
 *       headers the burst falls to 1 (posts evenly spaced, as Slack's one a second wants).
 *   <li>While the server accepts, the rate rises by {@link #INCREASE_PER_SECOND} per second of
 *       sending (additive increase), up to 90 % of a fresh ceiling and to the cap.
 * </ul>
 */
final class LearnedPace {
  /** The starting rate of a destination with no rate-per-second configured. */
  static final double DEFAULT_RATE = dev.hookgate.config.DestinationConfig.DEFAULT_RATE;
  /** The highest rate learned for a destination with no rate-per-second configured. */
  static final double MAX_RATE = 1000;
  /** The lowest rate: one post every 20 s (or the configured rate, if lower). */
  static final double MIN_RATE = 0.05;
  static final double INCREASE_PER_SECOND = 0.25;
  static final double DECREASE = 0.5;
  /** How long a 429's rate stays a ceiling (then the pace may probe above it again). */
  static final long CEILING_MS = 60_000;
  /** An accepted answer counts at most this much sending time toward the increase (idle time does not). */
  private static final long MAX_INCREASE_STEP_MS = 1000;

  private final double cap;
  private final double floor;
  private final TokenBucket bucket;
  private double rate;
  private double ceiling = Double.MAX_VALUE;
  private long ceilingUntil;
  private long lastAccepted;

  /** {@code configured}: rate-per-second as configured, or NaN when the config has none. */
  LearnedPace(double configured, int burst, long now) {
    boolean isCap = !Double.isNaN(configured);
    this.cap = isCap ? configured : MAX_RATE;
    this.floor = Math.min(MIN_RATE, cap);
    this.rate = isCap ? configured : DEFAULT_RATE;
    this.bucket = new TokenBucket(rate, burst, now);
    this.lastAccepted = now;
  }

  /** The rate the lane posts at now (posts a second). */
  double rate() {
    return rate;
  }

  boolean tryTake(long now) {
    return bucket.tryTake(now);
  }

  long nextTokenAt(long now) {
    return bucket.nextTokenAt(now);
  }

  /** The posts the lane may make right now, one by one. */
  int available(long now) {
    return bucket.available(now);
  }

  /** The server took a post (or refused it for its content: it still counted it). */
  void accepted(RateLimitHeaders limits, long now) {
    long step = Math.min(MAX_INCREASE_STEP_MS, Math.max(0, now - lastAccepted));
    lastAccepted = now;
    double top = now < ceilingUntil ? Math.min(cap, 0.9 * ceiling) : cap;
    if (rate < top) {
      set(Math.min(top, rate + INCREASE_PER_SECOND * step / 1000.0), now);
    }
    follow(limits, now);
  }

  /** The server answered 429 (the lane pauses for its Retry-After on its own). */
  void rateLimited(RateLimitHeaders limits, long now) {
    ceiling = rate;
    ceilingUntil = now + CEILING_MS;
    set(rate * DECREASE, now);
    lastAccepted = now;
    bucket.atMost(0, now);
    if (!limits.present()) {
      bucket.burst(1, now);
    }
    follow(limits, now);
  }

  /** Mattermost's headers: no more tokens than the server has left; at 0, its own pace. */
  private void follow(RateLimitHeaders limits, long now) {
    if (!limits.present()) {
      return;
    }
    bucket.atMost(limits.remaining(), now);
    if (limits.remaining() < 1 && limits.limit() > 0 && limits.resetSeconds() > 0) {
      set(limits.limit() / limits.resetSeconds(), now);
      bucket.atMost(0, now);
    }
  }

  private void set(double r, long now) {
    rate = Math.max(floor, Math.min(cap, r));
    bucket.rate(rate, now);
  }
}
