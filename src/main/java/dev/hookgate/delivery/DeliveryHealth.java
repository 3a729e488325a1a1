package dev.hookgate.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The delivery engine's lanes as /health can show them: lanes stuck on a post that outlived its
 * deadline (the engine should have reset it), and lanes waiting for their destination to come back
 * into the config. Lanes by their log name (never a response_url).
 */
public record DeliveryHealth(List<StuckLane> stuck, List<UnconfiguredLane> unconfigured) {
  /** Where the delivery verticle answers {@link #query}. */
  public static final String ADDRESS = "hookgate.deliveries.health";

  /** A lane with a post in flight for {@code inFlightMs}, longer than the request deadline allows. */
  public record StuckLane(String lane, long inFlightMs, int queued) {}

  /** A destination lane whose destination is not in the config: its deliveries wait, they are not dead. */
  public record UnconfiguredLane(String destination, long sinceMs, int queued) {}

  /** True when a lane is stuck: /health should answer 503. */
  public boolean healthy() {
    return stuck.isEmpty();
  }

  /** Asks the delivery verticle of this Vert.x instance for its lanes' health. */
  public static Future<DeliveryHealth> query(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(ADDRESS, null).map(m -> fromJson(m.body()));
  }

  public JsonObject toJson() {
    JsonArray s = new JsonArray();
    stuck.forEach(l -> s.add(new JsonObject().put("lane", l.lane()).put("in_flight_ms", l.inFlightMs())
        .put("queued", l.queued())));
    JsonArray u = new JsonArray();
    unconfigured.forEach(l -> u.add(new JsonObject().put("destination", l.destination()).put("since_ms", l.sinceMs())
        .put("queued", l.queued())));
    return new JsonObject().put("healthy", healthy()).put("stuck", s).put("unconfigured", u);
  }

  static DeliveryHealth fromJson(JsonObject json) {
    List<StuckLane> s = json.getJsonArray("stuck").stream().map(o -> (JsonObject) o)
        .map(o -> new StuckLane(o.getString("lane"), o.getLong("in_flight_ms"), o.getInteger("queued"))).toList();
    List<UnconfiguredLane> u = json.getJsonArray("unconfigured").stream().map(o -> (JsonObject) o)
        .map(o -> new UnconfiguredLane(o.getString("destination"), o.getLong("since_ms"), o.getInteger("queued")))
        .toList();
    return new DeliveryHealth(s, u);
  }
}
