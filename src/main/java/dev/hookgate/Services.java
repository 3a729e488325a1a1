package dev.hookgate;

import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.store.Store;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every verticle shares: the current config (replaced whole on reload), the store, the clock,
 * this node's id (the owner of its leases), the metrics, and whether all verticles are up and the
 * gateway is not stopping ({@code ready}, for /health).
 */
public record Services(AtomicReference<GatewayConfig> configRef, Store store, Clock clock, String nodeId,
    GatewayMetrics metrics, java.util.concurrent.atomic.AtomicBoolean ready) {
  public GatewayConfig config() {
    return configRef.get();
  }

  public long now() {
    return clock.millis();
  }
}
