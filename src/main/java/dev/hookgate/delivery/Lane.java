package dev.hookgate.delivery;

import dev.hookgate.config.DestinationConfig;
import dev.hookgate.store.Delivery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;

/**
 * The in-memory queue of one lane (a destination or a response_url): the deliveries this node
 * holds a lease on, in order, and the lane's pace (token bucket, Retry-After / backoff pause,
 * requests in flight). Owned by the delivery verticle's event loop: no locks.
 */
final class Lane {
  final String name;
  /** The destination's pace, remade when a reload changes its rate or burst; null for a response_url. */
  TokenBucket bucket;
  DestinationConfig destination;
  final LinkedList<Delivery> queue = new LinkedList<>();
  private final Set<Long> ids = new HashSet<>();
  long blockedUntil;
  /** When the verticle has planned to look at this lane again; MAX_VALUE: not planned. */
  long wakeAt = Long.MAX_VALUE;
  int inFlight;

  Lane(String name, DestinationConfig destination, long now) {
    this.name = name;
    pace(destination, now);
  }

  /** Follows the destination's current config (after a reload). */
  void pace(DestinationConfig current, long now) {
    if (current != null && !current.equals(destination)) {
      boolean samePace = destination != null && destination.ratePerSecond() == current.ratePerSecond()
          && destination.burst() == current.burst();
      if (!samePace) {
        bucket = new TokenBucket(current.ratePerSecond(), current.burst(), now);
      }
    }
    destination = current;
  }

  /** Adds a delivery in id order, unless the lane already holds it. */
  boolean add(Delivery d) {
    if (!ids.add(d.id())) {
      return false;
    }
    if (queue.isEmpty() || queue.getLast().id() < d.id()) {
      queue.addLast(d);
    } else {
      queue.add(d);
      queue.sort(Comparator.comparingLong(Delivery::id));
    }
    return true;
  }

  /** Takes the first {@code n} deliveries out of the queue (they are being sent). */
  List<Delivery> removeFirst(int n) {
    List<Delivery> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(queue.removeFirst());
    }
    return out;
  }

  /** Puts deliveries that must be tried again back at the head, in order. */
  void requeueFront(List<Delivery> deliveries) {
    for (int i = deliveries.size() - 1; i >= 0; i--) {
      queue.addFirst(deliveries.get(i));
    }
  }

  /** The lane no longer holds these (delivered, dead or moved). */
  void forget(List<Delivery> deliveries) {
    deliveries.forEach(d -> ids.remove(d.id()));
  }

  int held() {
    return ids.size();
  }

  Set<Long> heldIds() {
    return ids;
  }
}
