package dev.hookgate.store;

import dev.hookgate.Addresses;
import io.vertx.core.Vertx;

/**
 * The one way work queued in the store wakes its consumers on this node: the writer calls it after
 * each commit that queued work nobody holds (jobs to claim, deliveries from a first id on), and the
 * PostgreSQL listener when another node did. Work stored leased to this node wakes nobody: it is
 * handed over in memory.
 */
final class Wakeups {
  private final Vertx vertx;

  Wakeups(Vertx vertx) {
    this.vertx = vertx;
  }

  /** After a commit: what it queued for claims. */
  void committed(boolean jobs, long firstDeliveryId) {
    if (jobs) {
      jobsQueued();
    }
    if (firstDeliveryId > 0) {
      deliveriesQueued(firstDeliveryId);
    }
  }

  void jobsQueued() {
    vertx.eventBus().publish(Addresses.JOBS_READY, null);
  }

  /** Deliveries from this id on may be new (0: anywhere). */
  void deliveriesQueued(long firstId) {
    vertx.eventBus().publish(Addresses.DELIVERIES_READY, firstId);
  }
}
