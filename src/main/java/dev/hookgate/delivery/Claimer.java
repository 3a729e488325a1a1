package dev.hookgate.delivery;

import dev.hookgate.Services;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.DeliveryQueue;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims pending deliveries from the store (leases them to this node): what was queued since the
 * last claim when woken (cheap, from a cursor), and a full sweep every second. One claim at a time,
 * at most every {@value #MIN_CLAIM_INTERVAL_MS} ms, and never more than {@value #MAX_CLAIMED} claimed at once.
 */
final class Claimer {
  private static final Logger LOG = LoggerFactory.getLogger(Claimer.class);
  static final int PER_LANE = 1000;
  static final int MAX_CLAIMED = 20_000;
  private static final int CLAIM_BATCH = 5000;
  private static final long MIN_CLAIM_INTERVAL_MS = 10;

  private final Vertx vertx;
  private final Services services;
  private final boolean owned;
  private final IntSupplier claimed;
  private final Supplier<List<String>> fullLanes;
  private final Consumer<List<Delivery>> onClaimed;
  private final DeliveryHandoff handoff;
  private boolean claiming;
  private boolean claimAgain;
  private boolean timerSet;
  private long lastClaim = Long.MIN_VALUE / 2;
  /** The largest delivery id claimed so far; -1 until the first full sweep. */
  private long cursor = -1;
  private boolean sweepWanted;
  /** The smallest delivery id another writer notified since the last claim (its commit may be late). */
  private long notifiedFrom = Long.MAX_VALUE;

  /**
   * @param owned claim only the lanes this node owns (a store that several nodes share)
   * @param claimed how many deliveries this node has claimed and not settled
   * @param fullLanes lanes that already have {@link #PER_LANE} claimed (not claimed from)
   */
  Claimer(Vertx vertx, Services services, boolean owned, IntSupplier claimed, Supplier<List<String>> fullLanes,
      Consumer<List<Delivery>> onClaimed, DeliveryHandoff handoff) {
    this.handoff = handoff;
    this.vertx = vertx;
    this.services = services;
    this.owned = owned;
    this.claimed = claimed;
    this.fullLanes = fullLanes;
    this.onClaimed = onClaimed;
  }

  /**
   * Deliveries up to this id were stored leased to this node and handed over: a claim from the
   * cursor need not walk them (a row queued for a claim with a smaller id is notified with its id).
   */
  void handedOver(long lastId) {
    if (cursor >= 0) {
      cursor = Math.max(cursor, lastId);
    }
  }

  /** Another writer queued deliveries from this id on. */
  void notified(long firstId) {
    notifiedFrom = Math.min(notifiedFrom, firstId);
  }

  /** Claims what was queued since the last claim. */
  void claim() {
    claim(false);
  }

  /** Claims everything claimable (the periodic sweep). */
  void sweep() {
    claim(true);
  }

  private void claim(boolean sweep) {
    long now = services.now();
    long tick = System.nanoTime() / 1_000_000; // pacing the store, not a decision: the monotonic clock
    if (sweep) {
      sweepWanted = true;
    }
    if (claiming || tick - lastClaim < MIN_CLAIM_INTERVAL_MS) {
      claimAgain = true;
      if (!claiming && !timerSet) {
        timerSet = true;
        vertx.setTimer(MIN_CLAIM_INTERVAL_MS, id -> {
          timerSet = false;
          claim();
        });
      }
      return;
    }
    if (claimed.getAsInt() >= MAX_CLAIMED) {
      return;
    }
    claiming = true;
    claimAgain = false;
    boolean full = sweepWanted || cursor < 0;
    sweepWanted = false;
    lastClaim = tick;
    long notified = notifiedFrom;
    notifiedFrom = Long.MAX_VALUE;
    // from a notified id on (an earlier id may commit after a later one); an id of 0: a full look
    long afterId = full ? -1 : notified == Long.MAX_VALUE ? cursor : Math.min(cursor, notified - 1);
    long leaseUntil = now + services.config().store().lease().toMillis();
    DeliveryQueue store = services.deliveryQueue();
    int max = Math.min(CLAIM_BATCH, MAX_CLAIMED - claimed.getAsInt());
    List<String> skip = fullLanes.get();
    String node = services.nodeId();
    DeliveryHandoff.SweepStart sweepStart = full ? handoff.sweepStarting() : null;
    (owned ? store.claimOwnedDeliveries(skip, PER_LANE, max, node, now, leaseUntil, afterId)
        : store.claimDeliveries(skip, PER_LANE, max, node, now, leaseUntil, afterId))
        .onComplete(r -> {
          claiming = false;
          if (r.succeeded()) {
            cursor = Math.max(cursor, 0); // after the first sweep: new rows only, and a sweep every second
            r.result().forEach(d -> cursor = Math.max(cursor, d.id()));
            onClaimed.accept(r.result());
            if (sweepStart != null) {
              handoff.swept(sweepStart, r.result(), skip, r.result().size() < max);
            }
          } else {
            notifiedFrom = Math.min(notifiedFrom, notified);
            LOG.error("claiming deliveries failed: {}", r.cause().getMessage());
          }
          if (claimAgain) {
            claim();
          }
        });
  }

  /** Destination lanes that already have {@link #PER_LANE} deliveries claimed. */
  static List<String> fullDestinationLanes(LaneScheduler scheduler) {
    // only a destination's lane can fill up (a reply has a few parts)
    return scheduler.destinationLanes().stream()
        .filter(l -> l.claimed() >= PER_LANE).map(l -> l.name).toList();
  }
}
