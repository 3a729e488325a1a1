package dev.hookgate.store;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The durable spine of the gateway: queued jobs, deliveries and response_url budgets. Every
 * method is asynchronous and completes on the caller's Vert.x context; nothing is acknowledged to
 * a client before the future of the write that records it has succeeded.
 */
public interface Store {

  /** Applies schema migrations. */
  Future<Void> open();

  Future<Void> close();

  /** Writes this node's heartbeat row: proves the store is writable (for /health). */
  Future<Void> ping(String node, long now);

  // ---- jobs

  /** Queues a job unless its command already has {@code maxQueued} jobs waiting. */
  Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued);

  /**
   * Leases queued jobs (and running ones whose lease expired), oldest first, at most
   * {@code capacity.get(command)} per command.
   */
  Future<List<JobRecord>> claimJobs(Map<String, Integer> capacity, String owner, long now, long leaseUntil);

  /** Ends a job and queues its result deliveries, in one transaction. */
  Future<Void> finishJob(String jobId, JobState state, String outcome, long now, List<NewDelivery> deliveries);

  Future<Optional<JobRecord>> job(String id);

  Future<List<JobRecord>> recentJobs(int limit);

  /**
   * After a crash: jobs that were running go back to the queue, or, where {@code rerun} says no,
   * become interrupted with the deliveries {@code notice} builds. Delivery leases are released.
   */
  Future<Integer> recover(long now, Function<String, Boolean> rerun, Function<JobRecord, List<NewDelivery>> notice);

  /** When a schedule last fired, if ever. */
  Future<Optional<Long>> lastScheduledRun(String schedule);

  /**
   * Queues a scheduled job and records {@code firedAt} as the schedule's last run, in one
   * transaction; false (and nothing queued) if the schedule already fired at or after that time.
   */
  Future<Boolean> enqueueScheduledJob(NewJob job, String schedule, long firedAt);

  // ---- deliveries

  /**
   * Queues deliveries; with an idempotency key, a repeat of the same (scope, key) within
   * {@code idempotencyWindowMs} is dropped and the future holds false.
   */
  Future<Boolean> enqueueDeliveries(List<NewDelivery> deliveries, String idempotencyScope,
      String idempotencyKey, long idempotencyWindowMs);

  /**
   * Leases pending deliveries that nobody holds, oldest first, skipping {@code skipLanes}. With a
   * negative {@code afterId}, a full sweep taking at most {@code perLane} per lane; otherwise only
   * rows with a larger id (the cheap path for what was just queued).
   */
  Future<List<Delivery>> claimDeliveries(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId);

  /** Extends the leases of what this owner still holds. */
  Future<Void> renewLeases(String owner, Collection<String> jobIds, Collection<Long> deliveryIds, long leaseUntil);

  /** The successful send counts as an attempt. */
  Future<Void> markDelivered(Collection<Long> ids, long now);

  /** Records a failed attempt; the delivery stays pending and leased. */
  Future<Void> recordAttempt(Collection<Long> ids, String error, boolean countsAsAttempt);

  Future<Void> markDead(Collection<Long> ids, String error, long now);

  /** Moves response_url deliveries to their fallback destination. */
  Future<Void> retarget(Collection<Long> ids, String destination);

  /** Puts a dead delivery back in its queue; false if there is no such dead delivery. */
  Future<Boolean> replay(long id, long now);

  Future<List<Delivery>> deliveries(DeliveryState state, int limit);

  Future<Optional<Delivery>> delivery(long id);

  /**
   * Pending deliveries per destination lane ({@code dest:<name>}), and all replies to
   * response_urls together under {@code resp:}: count and oldest creation time.
   */
  Future<Map<String, long[]>> backlog();

  // ---- response_url budgets

  /**
   * Takes one use of a job's response_url if it has one left within its lifetime, counted from
   * the job's creation (Mattermost's TryUse); false when spent, expired, or no such job.
   */
  Future<Boolean> tryUseResponseUrl(String jobId, long now, long lifetimeMs, int maxUses);
}
