package dev.hookgate.delivery;

import dev.hookgate.config.DestinationConfig;
import dev.hookgate.store.Delivery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The in-memory queue of one lane (a destination or a response_url): the deliveries this node
 * claimed (holds a lease on), in order, and the lane's pace (token bucket, the pause after a 429 or
 * a failed attempt, posts in flight). Owned by the delivery verticle's event loop: no locks.
 */
final class Lane {
  final String name;
  /** The destination's pace, learned from its answers; remade when a reload changes its rate or burst; null for a response_url. */
  LearnedPace pace;
  DestinationConfig destination;
  final LinkedList<Delivery> queue = new LinkedList<>();
  private final Set<Long> ids = new HashSet<>();
  /** Nothing is sent on the lane before this time (Retry-After, or the backoff after a failed attempt). */
  long pausedUntil;
  /** When the scheduler plans to look at this lane again; MAX_VALUE: not planned. */
  long wakeAt = Long.MAX_VALUE;
  /** Since when the lane waits for its destination to come back into the config; 0: it is configured. */
  long unconfiguredSince;
  /** The posts in flight and when each started. */
  final Map<Coalescer.Batch, Long> inFlight = new IdentityHashMap<>();

  Lane(String name, DestinationConfig destination, long now) {
    this.name = name;
    pace(destination, now);
  }

  /** Follows the destination's current config (after a reload). */
  void pace(DestinationConfig current, long now) {
    if (current != null && !current.equals(destination)) {
      boolean samePace = destination != null && destination.ratePerSecond() == current.ratePerSecond()
          && destination.rateIsCap() == current.rateIsCap() && destination.burst() == current.burst();
      if (!samePace) {
        pace = new LearnedPace(current.rateIsCap() ? current.ratePerSecond() : Double.NaN, current.burst(), now);
      }
    }
    destination = current;
  }

  /** What the chat server's answer says of the pace (a response_url lane has none to learn). */
  void answered(SendOutcome outcome, long now) {
    if (pace == null || outcome == null) {
      return;
    }
    if (outcome instanceof SendOutcome.RateLimited) {
      pace.rateLimited(outcome.limits(), now);
    } else if (!(outcome instanceof SendOutcome.Unanswered) && !(outcome instanceof SendOutcome.ServerError)) {
      pace.accepted(outcome.limits(), now); // delivered, or refused for its content: the server took it
    }
  }

  /** Adds a delivery in id order, unless the lane already has it. */
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

  /**
   * The deliveries that may go now, in order: those whose coalescing window is over, and behind
   * them the rest of the same hook (its window is the first message's). A hook's open window holds
   * back only that hook's messages.
   */
  List<Delivery> due(long now, int limit) {
    List<Delivery> out = new ArrayList<>();
    Set<String> windowOver = new HashSet<>();
    for (Delivery d : queue) {
      String hook = Objects.requireNonNullElse(d.hook(), "");
      if (d.notBefore() <= now || windowOver.contains(hook)) {
        windowOver.add(hook);
        out.add(d);
        if (out.size() >= limit) {
          break;
        }
      }
    }
    return out;
  }

  /** When the first coalescing window of the queue ends. */
  long nextWindowEnd() {
    return queue.stream().mapToLong(Delivery::notBefore).min().orElse(Long.MAX_VALUE);
  }

  /** Takes these deliveries out of the queue (they are being sent). */
  void remove(List<Delivery> sending) {
    Set<Long> out = new HashSet<>();
    sending.forEach(d -> out.add(d.id()));
    queue.removeIf(d -> out.contains(d.id()));
  }

  /** Takes every delivery out of the queue. */
  List<Delivery> removeAll() {
    List<Delivery> all = new ArrayList<>(queue);
    queue.clear();
    return all;
  }

  /** Puts deliveries that must be tried again back at the head, in order. */
  void requeueFront(List<Delivery> deliveries) {
    for (int i = deliveries.size() - 1; i >= 0; i--) {
      queue.addFirst(deliveries.get(i));
    }
  }

  /** The lane no longer has these (delivered, dead or moved). */
  void forget(List<Delivery> deliveries) {
    deliveries.forEach(d -> ids.remove(d.id()));
  }

  /** How many deliveries this lane has claimed (queued or in flight). */
  int claimed() {
    return ids.size();
  }

  Set<Long> claimedIds() {
    return ids;
  }

  /** When the oldest post in flight started; MAX_VALUE when none. */
  long oldestInFlight() {
    return inFlight.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
  }
}
