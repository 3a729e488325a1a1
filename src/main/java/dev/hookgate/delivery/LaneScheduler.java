package dev.hookgate.delivery;

import dev.hookgate.config.DestinationConfig;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.Lanes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Which lane sends what, and when: the lanes' queues, the lanes that may have something to send
 * now, and when to look at the others again (a pause, a token, a coalescing window). No I/O and
 * no Vert.x: the verticle asks for a {@link Round} and sends its posts; time is passed in.
 */
final class LaneScheduler {
  /** A lane waiting for its destination to come back into the config looks at the config this often. */
  static final long UNCONFIGURED_RECHECK_MS = 1000;
  /** A lane whose lease is late to renew looks again this soon. */
  static final long LEASE_RECHECK_MS = 250;
  private static final int MAX_BATCH = 2000;
  /** What queued during a pause goes out merged when the pause ends (until this long after). */
  static final long AFTER_PAUSE_MS = 1000;
  /** A message that waited this long for its turn shows a lane falling behind: its backlog is merged. */
  static final long WAITED_MS = 250;

  /** What the scheduler needs to know of the config and of lane ownership. */
  interface Access {
    /** The destination of a destination lane, null when the config has none of that name (or a response_url). */
    DestinationConfig destination(String lane);

    int responseUrlMaxPostChars();

    /** May this node send on this lane now? */
    boolean owns(String lane, long now);

    /** Does this node hold the lane's lease (perhaps late to renew)? */
    boolean hasLease(String lane);
  }

  /** One post to make. */
  record Post(Lane lane, DestinationConfig destination, Coalescer.Batch batch) {}

  /**
   * What a round found: posts to make, lanes whose destination has gone from the config, lanes
   * whose destination came back, and when to look again.
   */
  record Round(List<Post> posts, List<Lane> unconfigured, List<Lane> reconfigured, long nextWake) {}

  private record Wake(long at, Lane lane) {}

  private final Map<String, Lane> lanes = new HashMap<>();
  /** The destination lanes among them (never removed; few). */
  private final List<Lane> destinationLanes = new ArrayList<>();
  private final Set<Lane> runnable = new LinkedHashSet<>();
  private final PriorityQueue<Wake> wakeups = new PriorityQueue<>(Comparator.comparingLong(Wake::at));
  private int claimed;
  /** Told of every delivery that leaves a lane (lane, how many): the hand-off's count of what memory holds. */
  private final java.util.function.ObjIntConsumer<String> left;

  LaneScheduler() {
    this((lane, n) -> {});
  }

  LaneScheduler(java.util.function.ObjIntConsumer<String> left) {
    this.left = left;
  }

  /** Adds a claimed delivery to its lane; false if the lane already had it. */
  boolean admit(Delivery d, DestinationConfig destination, long now) {
    Lane lane = lane(d.lane(), destination, now);
    if (!lane.add(d)) {
      return false;
    }
    claimed++;
    runnable.add(lane);
    return true;
  }

  Lane lane(String name, DestinationConfig destination, long now) {
    return lanes.computeIfAbsent(name, n -> {
      Lane lane = new Lane(n, destination, now);
      if (Lanes.isDestination(n)) {
        destinationLanes.add(lane);
      }
      return lane;
    });
  }

  List<Lane> destinationLanes() {
    return destinationLanes;
  }

  /** The lane is looked at in the next round. */
  void wake(Lane lane) {
    runnable.add(lane);
  }

  /** These deliveries left the lane (delivered, dead, moved or given back). */
  void forget(Lane lane, List<Delivery> ds) {
    lane.forget(ds);
    claimed -= ds.size();
    left.accept(lane.name, ds.size());
  }

  /** How many deliveries this node has claimed and not yet settled. */
  int claimed() {
    return claimed;
  }

  Collection<Lane> lanes() {
    return lanes.values();
  }

  Lane existing(String name) {
    return lanes.get(name);
  }

  /** The lanes that may have something to send at {@code now}, each driven as far as it may go. */
  Round run(long now, Access access) {
    while (!wakeups.isEmpty() && wakeups.peek().at() <= now) {
      Wake w = wakeups.poll();
      if (w.at() == w.lane().wakeAt) {
        w.lane().wakeAt = Long.MAX_VALUE;
        runnable.add(w.lane());
      }
    }
    List<Lane> ready = List.copyOf(runnable);
    runnable.clear();
    List<Post> posts = new ArrayList<>();
    List<Lane> unconfigured = new ArrayList<>();
    List<Lane> reconfigured = new ArrayList<>();
    for (Lane lane : ready) {
      if (lane.unconfiguredSince != 0 && access.destination(lane.name) != null) {
        reconfigured.add(lane);
      }
      long next = drive(lane, now, access, posts, unconfigured);
      if (next != Long.MAX_VALUE && next < lane.wakeAt) {
        lane.wakeAt = next;
        wakeups.add(new Wake(next, lane));
      } else if (lane.claimed() == 0 && lane.inFlight.isEmpty() && !Lanes.isDestination(lane.name)) {
        lanes.remove(lane.name);
      }
    }
    return new Round(posts, unconfigured, reconfigured, wakeups.isEmpty() ? Long.MAX_VALUE : wakeups.peek().at());
  }

  /**
   * Whether a destination's due messages must be merged: they cannot go out one by one at the pace
   * it accepts (more are due than its bucket allows now, or the bucket is empty; or the lane comes
   * out of a pause: a 429's Retry-After or a failed attempt's backoff, within {@link #AFTER_PAUSE_MS};
   * or the head waited over {@link #WAITED_MS} for its turn: its posts in flight do not keep up),
   * or a hook asked for a coalescing window. A response_url's lane always merges
   * (its 5 uses are the pressure). A destination that keeps up posts each message as it came.
   */
  static boolean underPressure(Lane lane, List<Delivery> due, long now) {
    if (lane.pace == null) {
      return true;
    }
    Delivery head = due.get(0);
    boolean justPaused = lane.pausedUntil > 0 && now - lane.pausedUntil < AFTER_PAUSE_MS;
    boolean fallingBehind = now - head.notBefore() > WAITED_MS; // the posts in flight cannot keep up
    return head.notBefore() > head.createdAt() || justPaused || fallingBehind
        || due.size() - 1 > lane.pace.available(now);
  }

  /** Takes what this lane may send now; returns when it should be looked at again. */
  private static long drive(Lane lane, long now, Access access, List<Post> posts, List<Lane> unconfigured) {
    DestinationConfig dest = access.destination(lane.name);
    if (Lanes.isDestination(lane.name) && dest == null) {
      if (!lane.queue.isEmpty() && lane.unconfiguredSince == 0) {
        lane.unconfiguredSince = now;
        unconfigured.add(lane);
      }
      return lane.queue.isEmpty() ? Long.MAX_VALUE : now + UNCONFIGURED_RECHECK_MS;
    }
    lane.unconfiguredSince = 0;
    lane.pace(dest, now);
    int maxInFlight = dest == null ? 1 : dest.maxInFlight();
    int maxChars = dest == null ? access.responseUrlMaxPostChars() : dest.maxPostChars();
    if (!lane.queue.isEmpty() && !access.owns(lane.name, now)) { // lease late to renew: wait; lost: released elsewhere
      return access.hasLease(lane.name) ? now + LEASE_RECHECK_MS : Long.MAX_VALUE;
    }
    while (!lane.queue.isEmpty() && lane.inFlight.size() < maxInFlight) {
      if (now < lane.pausedUntil) {
        return lane.pausedUntil;
      }
      List<Delivery> due = lane.due(now, dest != null && !dest.coalesce() ? 1 : MAX_BATCH);
      if (due.isEmpty()) {
        return lane.nextWindowEnd();
      }
      if (lane.pace != null && !lane.pace.tryTake(now)) {
        return lane.pace.nextTokenAt(now);
      }
      Coalescer.Batch batch = Coalescer.take(underPressure(lane, due, now) ? due : due.subList(0, 1), maxChars);
      lane.remove(batch.deliveries());
      lane.inFlight.put(batch, now);
      posts.add(new Post(lane, dest, batch));
    }
    return Long.MAX_VALUE;
  }
}
