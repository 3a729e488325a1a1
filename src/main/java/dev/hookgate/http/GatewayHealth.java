package dev.hookgate.http;

import dev.hookgate.Services;
import dev.hookgate.delivery.DeliveryHealth;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}: the store takes a write; no delivery lane is stuck; every verticle is deployed
 * and the gateway is not stopping.
 */
final class GatewayHealth {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHealth.class);

  private GatewayHealth() {}

  static HealthChecks checks(Vertx vertx, Services services) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("store", 2000, promise -> services.store().ping(services.nodeId(), services.now())
        .onSuccess(v -> promise.complete(Status.OK()))
        .onFailure(e -> {
          LOG.error("health: the store refused a write: {}", e.getMessage());
          promise.complete(Status.KO(new JsonObject().put("reason", "the store refused a write (see the log)")));
        }));
    // a lane stuck on a post past its deadline, or deliveries waiting for a destination a reload removed
    checks.register("deliveries", 2000, promise -> DeliveryHealth.query(vertx)
        .onSuccess(h -> promise.complete(h.healthy() ? Status.OK(h.toJson()) : Status.KO(h.toJson())))
        .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("reason", "the delivery engine does not answer")))));
    checks.register("verticles", promise -> promise.complete(services.ready().get() ? Status.OK()
        : Status.KO(new JsonObject().put("reason", "starting or stopping"))));
    return checks;
  }
}
