package dev.hookgate.delivery;

import dev.hookgate.config.DeliveryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The delivery decisions, without I/O: given what a post came to, the deliveries' attempts and age
 * and the kind of lane, what becomes of them ({@link Decision}). Time comes from the clock given.
 */
public final class DeliveryDecider {
  private final Clock clock;
  private final RandomGenerator random;
  private List<Duration> backoff;
  private RetryPolicy retry;

  public DeliveryDecider(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  /**
   * The deliveries of one post, as the decision needs them. {@code attempts}: failed attempts
   * before this one (the most among them); {@code oldestCreatedAt}: the oldest's creation time.
   * {@code ephemeral} and {@code fallback} matter for a response_url only.
   */
  public record Attempt(boolean responseUrl, boolean ephemeral, String fallback, int attempts, long oldestCreatedAt) {
    public static Attempt toDestination(int attempts, long oldestCreatedAt) {
      return new Attempt(false, false, null, attempts, oldestCreatedAt);
    }

    public static Attempt toResponseUrl(boolean ephemeral, String fallback, int attempts, long oldestCreatedAt) {
      return new Attempt(true, ephemeral, fallback, attempts, oldestCreatedAt);
    }
  }

  /** After a post: delivered, retry, pause the lane, fall back or dead. */
  public Decision decide(SendOutcome outcome, Attempt attempt, DeliveryConfig policy, Set<String> destinations) {
    long now = clock.millis();
    if (outcome instanceof SendOutcome.Delivered) {
      return new Decision.Delivered();
    }
    if (outcome instanceof SendOutcome.Spent) {
      return fallBack(attempt, destinations, "response_url refused: " + outcome.reason());
    }
    if (outcome instanceof SendOutcome.Rejected) {
      return new Decision.Dead("rejected by the chat server: " + outcome.reason());
    }
    boolean limited = outcome instanceof SendOutcome.RateLimited;
    int attempts = limited ? attempt.attempts() : attempt.attempts() + 1;
    if (attempts >= policy.maxAttempts()) {
      return new Decision.Dead("gave up after " + attempts + " attempts: " + outcome.reason());
    }
    if (now - attempt.oldestCreatedAt() > policy.maxAge().toMillis()) {
      return new Decision.Dead("gave up after " + attempts + " attempts, older than delivery.max-age ("
          + dev.hookgate.config.Durations.format(policy.maxAge()) + "): " + outcome.reason());
    }
    boolean giveBackUse = attempt.responseUrl() && !outcome.mayHaveUsedTheHook();
    if (outcome instanceof SendOutcome.RateLimited r) {
      return new Decision.PauseLaneUntil(now + r.waitMs(), outcome.reason(), giveBackUse);
    }
    return new Decision.RetryAt(now + retryPolicy(policy).backoffMs(attempts), outcome.reason(), giveBackUse);
  }

  /** The response_url's budget (5 uses in 30 minutes) is spent or expired: nothing was posted. */
  public Decision budgetSpent(Attempt attempt, Set<String> destinations) {
    return fallBack(attempt, destinations, "response_url spent (5 uses) or expired (30 minutes)");
  }

  /** An incoming hook posts in the channel: what was meant for one user (ephemeral) stays private. */
  private static Decision fallBack(Attempt attempt, Set<String> destinations, String reason) {
    if (attempt.ephemeral()) {
      return new Decision.Dead(reason + "; an ephemeral message is not posted in a channel");
    }
    if (attempt.fallback() == null || !destinations.contains(attempt.fallback())) {
      return new Decision.Dead(reason + ", and no fallback destination");
    }
    return new Decision.FallBack(attempt.fallback(), reason);
  }

  /** The retry schedule of the current config (a reload may change it). */
  private RetryPolicy retryPolicy(DeliveryConfig policy) {
    if (!policy.backoff().equals(backoff)) {
      backoff = policy.backoff();
      retry = new RetryPolicy(backoff, random);
    }
    return retry;
  }
}
