package dev.hookgate.delivery;

import dev.hookgate.store.Delivery;
import dev.hookgate.store.Lanes;
import io.vertx.core.Context;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * How deliveries reach their lanes from memory, with no claim. A producer (the relay's handler, a
 * job's result) asks {@link #reserve} before its write: when the lane can take the deliveries here,
 * it stores them leased to this node and, once committed, {@link Ticket#stored hands them over};
 * otherwise it stores them for a claim, as before.
 *
 * <p>A lane takes deliveries from memory while this node owns it, holds fewer than
 * {@link Claimer#PER_LANE} of them (the engine fewer than {@link Claimer#MAX_CLAIMED}), and none
 * of its deliveries waits in the store for a claim: a newer message must never overtake an older
 * one. A lane that had to store some for a claim is <em>spilled</em> until a sweep, started after
 * those writes committed, finds none of it left. Destination lanes start spilled (the store may
 * hold a backlog from before the start or from other nodes); a job's reply lane starts clear.
 *
 * <p>Thread-safe: producers call it from any event loop or worker, the delivery verticle from its
 * own; the deliveries handed over are admitted on the verticle's context.
 */
public final class DeliveryHandoff {
  private final int perLane;
  private final int total;
  private final Map<String, Room> rooms = new HashMap<>();
  private final ConcurrentLinkedQueue<Arrival> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private int held;
  private boolean ownsEveryLane = true;
  private Set<String> ownedLanes = Set.of();
  private volatile Context context;
  private volatile Consumer<Arrival> admit;

  /** Per lane: what memory holds of it, and whether some of it waits in the store. */
  private static final class Room {
    int held;
    boolean spilled;
    int spillsInFlight;
    long spillEpoch;
  }

  /**
   * Deliveries handed over, in order; {@code firstUseTaken}: the store already took one use of the
   * response_url for the first of them (in the transaction that stored the job's result).
   */
  record Arrival(List<Delivery> deliveries, boolean firstUseTaken) {}

  /** A producer's answer: store leased and hand over ({@link #leased}), or store for a claim. */
  public final class Ticket {
    private final String lane;
    private final int count;
    private final boolean leased;
    private boolean settled;

    private Ticket(String lane, int count, boolean leased) {
      this.lane = lane;
      this.count = count;
      this.leased = leased;
    }

    /** Store the deliveries leased to this node, then hand them over. */
    public boolean leased() {
      return leased;
    }

    /**
     * The write committed: leased deliveries (with their ids) go to their lane now; a write for a
     * claim counts as done (the sweep may clear its lane). {@code stored} is empty for a write
     * that stored nothing (an idempotent repeat) or stored for a claim.
     */
    public void stored(List<Delivery> stored) {
      stored(stored, false);
    }

    /** As {@link #stored(List)}, for a job's replies whose first already took a response_url use. */
    public void stored(List<Delivery> stored, boolean firstUseTaken) {
      if (!settle()) {
        return;
      }
      if (!leased) {
        spillDone(lane);
        return;
      }
      if (stored.size() < count) {
        left(lane, count - stored.size());
      }
      if (!stored.isEmpty()) {
        inbox.add(new Arrival(List.copyOf(stored), firstUseTaken));
        scheduleDrain();
      }
    }

    /** The write failed: nothing was stored; the room it reserved is free again. */
    public void notStored() {
      stored(List.of());
    }

    private synchronized boolean settle() {
      if (settled) {
        return false;
      }
      settled = true;
      return true;
    }
  }

  /** A sweep's view when it started: the spilled lanes it may clear, with their spill epochs. */
  record SweepStart(Map<String, Long> clearable) {}

  public DeliveryHandoff() {
    this(Claimer.PER_LANE, Claimer.MAX_CLAIMED);
  }

  DeliveryHandoff(int perLane, int total) {
    this.perLane = perLane;
    this.total = total;
  }

  /**
   * Before a write of {@code count} deliveries to one lane: may they be stored leased to this node
   * and handed over? The answer holds room for them until the ticket is settled.
   */
  public synchronized Ticket reserve(String lane, int count) {
    Room room = rooms.computeIfAbsent(lane, l -> newRoom(l));
    boolean owned = ownsEveryLane || !Lanes.isDestination(lane) || ownedLanes.contains(lane);
    if (owned && !room.spilled && room.held + count <= perLane && held + count <= total) {
      room.held += count;
      held += count;
      return new Ticket(lane, count, true);
    }
    room.spilled = true;
    room.spillsInFlight++;
    room.spillEpoch++;
    return new Ticket(lane, count, false);
  }

  private static Room newRoom(String lane) {
    Room room = new Room();
    room.spilled = Lanes.isDestination(lane);
    return room;
  }

  private synchronized void spillDone(String lane) {
    Room room = rooms.get(lane);
    if (room != null) {
      room.spillsInFlight--;
    }
  }

  // ------------------------------------------------------------------ the delivery verticle's side

  /** Where handed-over deliveries go: admitted on this context, in the order they were handed over. */
  void attach(Context context, Consumer<Arrival> admit) {
    this.admit = admit;
    this.context = context;
    scheduleDrain();
  }

  private void scheduleDrain() {
    Context c = context;
    if (c != null && !inbox.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      c.runOnContext(v -> drain());
    }
  }

  private void drain() {
    drainScheduled.set(false);
    for (Arrival a; (a = inbox.poll()) != null; ) {
      admit.accept(a);
    }
    scheduleDrain();
  }

  /** A delivery claimed from the store (or moved to its fallback's lane) is now held in memory. */
  synchronized void entered(String lane, int count) {
    rooms.computeIfAbsent(lane, DeliveryHandoff::newRoom).held += count;
    held += count;
  }

  /** Deliveries left memory (delivered, dead, moved, given back). */
  synchronized void left(String lane, int count) {
    Room room = rooms.get(lane);
    if (room == null) {
      return;
    }
    room.held -= count;
    held -= count;
    if (room.held <= 0 && !room.spilled && room.spillsInFlight == 0 && !Lanes.isDestination(lane)) {
      rooms.remove(lane); // a job's reply lane: nothing left to remember
    }
  }

  /**
   * On a store several nodes share: the destination lanes this node owns now. A lane gained may
   * have a backlog that another node stored: it is spilled until a sweep has taken it.
   */
  synchronized void owned(Collection<String> destinationLanes) {
    ownsEveryLane = false;
    for (String lane : destinationLanes) {
      if (!ownedLanes.contains(lane)) {
        Room room = rooms.computeIfAbsent(lane, DeliveryHandoff::newRoom);
        room.spilled = true;
        room.spillEpoch++;
      }
    }
    ownedLanes = Set.copyOf(destinationLanes);
  }

  /** A full sweep is about to read the store: the spilled lanes whose writes have all committed. */
  synchronized SweepStart sweepStarting() {
    Map<String, Long> clearable = new HashMap<>();
    rooms.forEach((lane, room) -> {
      if (room.spilled && room.spillsInFlight == 0) {
        clearable.put(lane, room.spillEpoch);
      }
    });
    return new SweepStart(clearable);
  }

  /**
   * The sweep took everything claimable ({@code complete}: it was not cut by its limit) but for
   * the lanes it skipped: a lane it could clear, that got fewer than a full lane's worth and saw no
   * new write for a claim since, has nothing left in the store: memory may take its next ones.
   */
  synchronized void swept(SweepStart start, List<Delivery> claimed, Collection<String> skipped, boolean complete) {
    if (!complete) {
      return;
    }
    Map<String, Integer> perLaneClaimed = new HashMap<>();
    claimed.forEach(d -> perLaneClaimed.merge(d.lane(), 1, Integer::sum));
    start.clearable().forEach((lane, epoch) -> {
      Room room = rooms.get(lane);
      if (room != null && room.spillEpoch == epoch && room.spillsInFlight == 0 && !skipped.contains(lane)
          && perLaneClaimed.getOrDefault(lane, 0) < perLane) {
        room.spilled = false;
        if (room.held <= 0 && !Lanes.isDestination(lane)) {
          rooms.remove(lane);
        }
      }
    });
  }

  /** How many deliveries memory holds (for tests and health). */
  synchronized int held() {
    return held;
  }
}
