package dev.hookgate.store;

import dev.hookgate.protocol.ChatMessage;

/** A stored delivery. */
public record Delivery(
    long id,
    String destination,
    String responseUrl,
    String fallback,
    String jobId,
    String hook,
    ChatMessage message,
    DeliveryState state,
    int attempts,
    long createdAt,
    long notBefore,
    String lastError,
    Long deliveredAt) {

  /** A delivery just stored with this id: pending, never attempted. */
  public static Delivery stored(long id, NewDelivery d) {
    return new Delivery(id, d.destination(), d.responseUrl(), d.fallback(), d.jobId(), d.hook(), d.message(),
        DeliveryState.PENDING, 0, d.createdAt(), d.notBefore(), null, null);
  }

  public String lane() {
    return Lanes.of(destination, jobId);
  }

  public Delivery retargeted(String newDestination) {
    return new Delivery(id, newDestination, null, null, jobId, hook, message, state, attempts, createdAt,
        notBefore, lastError, deliveredAt);
  }

  public Delivery withAttempt(String error) {
    return new Delivery(id, destination, responseUrl, fallback, jobId, hook, message, state, attempts + 1,
        createdAt, notBefore, error, deliveredAt);
  }
}
