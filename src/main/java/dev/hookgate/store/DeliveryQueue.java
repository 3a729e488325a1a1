package dev.hookgate.store;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/** The queue of messages to send: what the relay handler and the delivery engine need. */
public interface DeliveryQueue {

  /**
   * Queues deliveries; with an idempotency key, a repeat of the same (scope, key) within
   * {@code idempotencyWindowMs} is dropped and the future holds false.
   */
  Future<Boolean> enqueueDeliveries(List<NewDelivery> deliveries, String idempotencyScope,
      String idempotencyKey, long idempotencyWindowMs);

  /**
   * As {@link #enqueueDeliveries}; with a {@code lease}, the deliveries are stored leased to this
   * node and come back with their ids ({@link Queued#leased}) for it to send from memory, no claim.
   */
  Future<Queued> enqueueDeliveries(List<NewDelivery> deliveries, String idempotencyScope,
      String idempotencyKey, long idempotencyWindowMs, Lease lease);

  /**
   * Leases pending deliveries that nobody holds, oldest first, skipping {@code skipLanes}. With a
   * negative {@code afterId}, a sweep taking at most {@code perLane} per lane; otherwise only rows
   * with a larger id (the cheap path for what was just queued). Both read the index of pending rows
   * only: delivered history is never walked.
   */
  Future<List<Delivery>> claimDeliveries(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId);

  /**
   * As {@link #claimDeliveries}, on a store that several nodes share: a destination's lane only
   * where {@code owner} holds its lane lease ({@link LaneLeases#holdLanes}), a response_url's lane
   * only when its deliveries were queued by {@code owner} (or adopted by it from a node that died),
   * so that each lane is sent by one node at a time, in order.
   */
  Future<List<Delivery>> claimOwnedDeliveries(Collection<String> skipLanes, int perLane, int max,
      String owner, long now, long leaseUntil, long afterId);

  /** Extends the leases of the pending deliveries this owner still holds; 0 gives them up. */
  Future<Void> renewDeliveryLeases(String owner, Collection<Long> deliveryIds, long leaseUntil);

  /** The successful send counts as an attempt. */
  Future<Void> markDelivered(Collection<Long> ids, long now);

  /** Records a failed attempt; the delivery stays pending and leased. */
  Future<Void> recordAttempt(Collection<Long> ids, String error, boolean countsAsAttempt);

  Future<Void> markDead(Collection<Long> ids, String error, long now);

  /** Moves response_url deliveries to their fallback destination. */
  Future<Void> retarget(Collection<Long> ids, String destination);
}
