package dev.hookgate.store;

import java.util.List;

/**
 * What a write of deliveries stored: {@code fresh} false when an idempotency key dropped it as a
 * repeat; {@code leased}, the stored deliveries when they were written leased to the writing node
 * (with their ids, for it to send from memory), else empty.
 */
public record Queued(boolean fresh, List<Delivery> leased) {
  public Queued {
    leased = List.copyOf(leased);
  }
}
