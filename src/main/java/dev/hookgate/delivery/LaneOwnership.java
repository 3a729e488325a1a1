package dev.hookgate.delivery;

import dev.hookgate.store.Lanes;
import dev.hookgate.store.Store;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which destination lanes this node may send to, on a store that several nodes share: the lane
 * leases it holds (taken and renewed by {@link #renew}), until when it may trust them, and the lanes
 * with a backlog that it should try to take. On one node it owns every lane.
 *
 * <p>Owned by the delivery verticle and used on its event loop only: no locks.
 */
final class LaneOwnership {
  /** The verticle's logger: these lines keep the name they have always been logged under. */
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);
  /** At a graceful stop, the next owner waits this long, so that two owners never share a one-second window. */
  private static final long RELEASE_PAUSE_MS = 1000;

  /** What one renewal of the lane leases returned. */
  record Renewal(Map<String, Long> pausedUntil, boolean gained) {
    // pausedUntil: the lanes this node holds now, each with its lease's paused_until
  }

  private final boolean shared;
  private final Store store;
  private final String nodeId;
  /** The destination lanes this node holds the lease of, and until when (local clock, with a margin). */
  private final Map<String, Long> ownedUntil = new HashMap<>();
  /** Destination lanes with pending deliveries (from the backlog), configured or not. */
  private final Set<String> backlogLanes = new HashSet<>();
  private boolean renewing;

  /** @param shared several nodes share the store: destination lanes need a lane lease */
  LaneOwnership(boolean shared, Store store, String nodeId) {
    this.shared = shared;
    this.store = store;
    this.nodeId = nodeId;
  }

  boolean shared() {
    return shared;
  }

  /** The lanes of the latest backlog: their destination lanes are wanted too, configured or not. */
  void backlog(Collection<String> lanes) {
    backlogLanes.clear();
    lanes.stream().filter(Lanes::isDestination).forEach(backlogLanes::add);
  }

  /**
   * Takes the wanted destination lanes (and those with a backlog) nobody holds and renews this
   * node's; forgets what it lost. {@code then} runs once the store answered, unless it failed
   * (logged: what this node holds stays its own until the margin runs out). Does nothing while a
   * renewal is running.
   */
  void renew(Collection<String> wanted, long now, long lease, Consumer<Renewal> then) {
    if (renewing) {
      return;
    }
    renewing = true;
    Set<String> lanes = new TreeSet<>(backlogLanes);
    lanes.addAll(wanted);
    store.holdLanes(nodeId, lanes, now, now + lease).onComplete(r -> {
      renewing = false;
      if (r.failed()) { // what this node holds stays its own until the margin below runs out
        LOG.error("renewing lane leases failed: {}", r.cause().getMessage());
        return;
      }
      boolean gained = false;
      long until = now + lease * 5 / 6; // stop sending a little before the others may take over
      for (String lane : r.result().keySet()) {
        if (ownedUntil.put(lane, until) == null) {
          gained = true;
          LOG.info("this node now sends to {}", lane);
        }
      }
      for (String lane : List.copyOf(ownedUntil.keySet())) {
        if (!r.result().containsKey(lane)) {
          ownedUntil.remove(lane);
          LOG.warn("lane {} is now held by another node", lane);
        }
      }
      then.accept(new Renewal(r.result(), gained));
    });
  }

  /** May this node send on this lane now? Always on one node; on several, while it holds the lane's lease. */
  boolean owns(String lane, long now) {
    return !shared || !Lanes.isDestination(lane) || ownedUntil.getOrDefault(lane, 0L) > now;
  }

  /** Does this node hold this lane's lease (perhaps late to renew)? */
  boolean hasLease(String lane) {
    return ownedUntil.containsKey(lane);
  }

  /** A Retry-After on a destination lane is written to its lease, for whoever owns the lane next. */
  void paused(String lane, long until) {
    if (shared && Lanes.isDestination(lane)) {
      store.pauseLane(lane, until)
          .onFailure(e -> LOG.warn("recording the pause of {} failed: {}", lane, e.getMessage()));
    }
  }

  /** A graceful stop gives up this node's lanes at once; the next owner waits a second. */
  Future<Void> release(long now) {
    return store.releaseLanes(nodeId, now + RELEASE_PAUSE_MS);
  }
}
