package dev.hookgate.store;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The durable spine of the gateway, by role: the job queue, the delivery queue, the response_url
 * budget, lane leases (several nodes) and admin queries. Callers should depend on the role they use.
 * Every method is asynchronous and completes on the caller's Vert.x context; nothing is
 * acknowledged to a client before the future of the write that records it has succeeded.
 */
public interface Store extends JobQueue, DeliveryQueue, ResponseUrlBudget, LaneLeases, AdminQueries {

  /** Opens the database and applies schema migrations. */
  Future<Void> open();

  /** Finishes what was submitted, then closes. */
  Future<Void> close();

  /**
   * Writes this node's heartbeat row: proves the store is writable (for /health); fails when the
   * store's file is gone or replaced.
   */
  Future<Void> ping(String node, long now);

  /**
   * Retention: forgets delivered deliveries and finished jobs (succeeded, failed, interrupted) that
   * ended before {@code before}, in bounded batches; queued, running, pending and dead ones are
   * kept. The future holds how many rows went.
   */
  Future<Integer> purgeFinished(long before);

  /**
   * After a crash (or, on a shared store, a node's death): jobs that were running go back to the
   * queue, or, where {@code rerun} says no, become interrupted with the deliveries {@code notice}
   * builds. Delivery leases held by no live node are released.
   */
  Future<Integer> recover(long now, Function<String, Boolean> rerun, Function<JobRecord, List<NewDelivery>> notice);

  /** Extends the leases of what this owner still holds (jobs and deliveries). */
  default Future<Void> renewLeases(String owner, Collection<String> jobIds, Collection<Long> deliveryIds,
      long leaseUntil) {
    Future<Void> jobs = jobIds.isEmpty() ? Future.succeededFuture() : renewJobLeases(owner, jobIds, leaseUntil);
    Future<Void> deliveries = deliveryIds.isEmpty() ? Future.succeededFuture()
        : renewDeliveryLeases(owner, deliveryIds, leaseUntil);
    return Future.all(jobs, deliveries).mapEmpty();
  }
}
