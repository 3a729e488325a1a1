package dev.hookgate;

import dev.hookgate.config.GatewayConfig;
import dev.hookgate.delivery.DeliveryHandoff;
import dev.hookgate.job.JobLauncher;
import io.vertx.core.Vertx;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.store.AdminQueries;
import dev.hookgate.store.DeliveryQueue;
import dev.hookgate.store.JobQueue;
import dev.hookgate.store.LaneLeases;
import dev.hookgate.store.ResponseUrlBudget;
import dev.hookgate.store.Store;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every verticle shares: the current config (replaced whole on reload), the store (each caller
 * through the role it uses: {@link #jobQueue}, {@link #deliveryQueue}, ...), the clock,
 * this node's id (the owner of its leases), the metrics, whether all verticles are up and the
 * gateway is not stopping ({@code ready}, for /health), the worker slots of jobs that start where
 * they are accepted ({@code jobs}), and the hand-off of deliveries stored leased to this node to the
 * delivery engine ({@code handoff}).
 */
public record Services(AtomicReference<GatewayConfig> configRef, Store store, Clock clock, String nodeId,
    GatewayMetrics metrics, java.util.concurrent.atomic.AtomicBoolean ready, JobLauncher jobs,
    DeliveryHandoff handoff) {

  /** The services of a gateway on this Vert.x: jobs start where they are accepted, deliveries go from memory. */
  public static Services of(Vertx vertx, AtomicReference<GatewayConfig> configRef, Store store, Clock clock,
      String nodeId, GatewayMetrics metrics) {
    return new Services(configRef, store, clock, nodeId, metrics, new java.util.concurrent.atomic.AtomicBoolean(false),
        new JobLauncher(vertx, configRef::get), new DeliveryHandoff());
  }

  public GatewayConfig config() {
    return configRef.get();
  }

  /** The queue of jobs: command handler, scheduler, job dispatcher and workers. */
  public JobQueue jobQueue() {
    return store;
  }

  /** The queue of messages to send: relay handler and delivery engine. */
  public DeliveryQueue deliveryQueue() {
    return store;
  }

  /** The response_url budget: the delivery engine. */
  public ResponseUrlBudget responseUrls() {
    return store;
  }

  /** One owner per destination on a shared store: the delivery engine. */
  public LaneLeases laneLeases() {
    return store;
  }

  /** Reads for the admin API, the admin page and metrics (off the writer), and the admin's replay. */
  public AdminQueries admin() {
    return store;
  }

  public long now() {
    return clock.millis();
  }
}
