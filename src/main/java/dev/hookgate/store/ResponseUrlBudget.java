package dev.hookgate.store;

import io.vertx.core.Future;

/** A response_url takes a few posts within a lifetime (Mattermost: 5 in 30 minutes), counted on its job. */
public interface ResponseUrlBudget {
  /** Mattermost and Slack: a response_url takes 5 posts within 30 minutes. */
  int MAX_USES = 5;
  long LIFETIME_MS = 30 * 60_000;

  /**
   * Takes one use of a job's response_url if it has one left within its lifetime, counted from
   * the job's creation (Mattermost's TryUse); false when spent, expired, or no such job.
   */
  Future<Boolean> tryUseResponseUrl(String jobId, long now, long lifetimeMs, int maxUses);

  /**
   * Gives back a use that the chat server never counted: the POST was refused before Mattermost
   * looked the hook up (429 from its rate limiter, connection refused, unknown host).
   */
  Future<Void> returnResponseUrlUse(String jobId);
}
