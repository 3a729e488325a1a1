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

  /**
   * Retention: forgets delivered deliveries and finished jobs (succeeded, failed, interrupted) that
   * ended before {@code before}; queued, running, pending and dead ones are kept. The future holds
   * how many rows went.
   */
  Future<Integer> purgeFinished(long before);

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

  /**
   * As {@link #claimDeliveries}, on a store that several nodes share: a destination's lane only
   * where {@code owner} holds its lane lease ({@link #holdLanes}), a response_url's lane only when
   * its deliveries were queued by {@code owner} (or adopted by it from a node that died), so that
   * each lane is sent by one node at a time, in order. A store of one node: {@link #claimDeliveries}.
   */
  default Future<List<Delivery>> claimOwnedDeliveries(Collection<String> skipLanes, int perLane, int max,
      String owner, long now, long leaseUntil, long afterId) {
    return claimDeliveries(skipLanes, perLane, max, owner, now, leaseUntil, afterId);
  }

  // ---- several nodes (a store of one node grants everything)

  /** True when several gateway nodes may share this store: lane leases and periodic recovery then matter. */
  default boolean shared() {
    return false;
  }

  /**
   * Takes or renews the lease of {@code owner} on these lanes (a lane nobody holds, or whose lease
   * expired, becomes owner's; a lane that a live node holds stays its). The future holds the lanes
   * owner now holds, each with the time before which nothing may be sent to it (a Retry-After that
   * its previous owner recorded with {@link #pauseLane}).
   */
  default Future<Map<String, Long>> holdLanes(String owner, Collection<String> lanes, long now, long leaseUntil) {
    Map<String, Long> all = new java.util.HashMap<>();
    lanes.forEach(l -> all.put(l, 0L));
    return Future.succeededFuture(all);
  }

  /** Records that nothing may be sent to this lane before {@code until} (Retry-After), for whoever owns it next. */
  default Future<Void> pauseLane(String lane, long until) {
    return Future.succeededFuture();
  }

  /** Gives up every lane lease of {@code owner} (a graceful stop); the next owner waits until {@code pausedUntil}. */
  default Future<Void> releaseLanes(String owner, long pausedUntil) {
    return Future.succeededFuture();
  }

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

  /**
   * Gives back a use that the chat server never counted: the POST was refused before Mattermost
   * looked the hook up (429 from its rate limiter, connection refused, unknown host).
   */
  Future<Void> returnResponseUrlUse(String jobId);
}
