package dev.hookgate.delivery;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Time is passed in.
 * The rate, the burst and the tokens may be lowered as a destination's pace is learned.
 */
final class TokenBucket {
  private double ratePerMs;
  private double burst;
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

  /** The whole tokens there now. */
  int available(long now) {
    refill(now);
    return (int) Math.floor(tokens);
  }

  /** A new rate from {@code now} on (the tokens earned so far at the old one are kept). */
  void rate(double ratePerSecond, long now) {
    refill(now);
    ratePerMs = ratePerSecond / 1000.0;
  }

  /** At most this many tokens saved up from now on. */
  void burst(double max, long now) {
    refill(now);
    burst = Math.max(1, max);
    tokens = Math.min(tokens, burst);
  }

  /** At most {@code max} tokens now (what the server says it still takes); they refill at the rate. */
  void atMost(double max, long now) {
    refill(now);
    tokens = Math.min(tokens, Math.max(0, max));
  }
}
