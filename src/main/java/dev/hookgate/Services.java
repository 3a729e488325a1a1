package dev.hookgate;

import dev.hookgate.config.GatewayConfig;
import dev.hookgate.store.Store;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every verticle shares: the current config (replaced whole on reload), the store, the clock
 * and this node's id (the owner of its leases).
 */
public record Services(AtomicReference<GatewayConfig> configRef, Store store, Clock clock, String nodeId) {
  public GatewayConfig config() {
    return configRef.get();
  }

  public long now() {
    return clock.millis();
  }
}
