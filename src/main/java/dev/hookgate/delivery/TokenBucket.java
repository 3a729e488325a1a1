package dev.hookgate.delivery;

/** A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Time is passed in. */
final class TokenBucket {
  private final double ratePerMs;
  private final double burst;
  private double tokens;
  private long last;

  TokenBucket(double ratePerSecond, int burst, long now) {
    this.ratePerMs = ratePerSecond / 1000.0;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  private void refill(long now) {
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) * ratePerMs);
      last = now;
    }
  }

  /** Takes a token if one is there. */
  boolean tryTake(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** When the next token will be there. */
  long nextTokenAt(long now) {
    refill(now);
    return tokens >= 1 ? now : now + (long) Math.ceil((1 - tokens) / ratePerMs);
  }
}
