package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.Services;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.store.NewDelivery;
import dev.hookgate.store.SqlStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The delivery verticle's wiring, deployed alone over a SQLite store, with a clock the test moves. */
@ExtendWith(VertxExtension.class)
class DeliveryVerticleTest {
  @TempDir Path dir;

  /** A clock that stands still until the test moves it. */
  static final class MovableClock extends Clock {
    final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  private Future<Services> services(Vertx vertx, int port, MovableClock clock) {
    Path file = dir.resolve("hookgate.yaml");
    try {
      Files.writeString(file, """
        store: {path: "%s"}
        delivery: {request-timeout: 60s}
        destinations:
          ops: {url: "http://127.0.0.1:%d/hooks/opsid"}
        """.formatted(dir.resolve("hookgate.db"), port));
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
    return ConfigLoader.load(vertx, file.toString(), Map.of()).compose(config -> {
      SqlStore store = SqlStore.sqlite(vertx, dir.resolve("hookgate.db"), "full", "node-1");
      Services services = Services.of(vertx, new AtomicReference<>(config), store, clock, "node-1",
          GatewayMetrics.create());
      return store.open().map(services);
    });
  }

  private static Future<Boolean> enqueue(Vertx vertx, Services services, String text) {
    long now = services.now();
    return services.store().enqueueDeliveries(List.of(NewDelivery.toDestination("ops", "alerts",
            ChatMessage.fromJson("{\"text\":\"" + text + "\"}"), now, now)), null, null, 0); // the store wakes the engine
  }

  @Test
  void aPostThatOutlivesItsDeadlineMakesTheLaneStuckForHealth(Vertx vertx, VertxTestContext test) throws Exception {
    MovableClock clock = new MovableClock();
    Promise<Void> inFlight = Promise.promise();
    HttpServer silent = vertx.createHttpServer().requestHandler(req -> inFlight.tryComplete()); // never answers
    silent.listen(0, "127.0.0.1")
        .compose(s -> services(vertx, s.actualPort(), clock))
        .compose(services -> vertx.deployVerticle(new DeliveryVerticle(services))
            .compose(id -> enqueue(vertx, services, "hello")))
        .compose(v -> inFlight.future())
        .compose(v -> DeliveryHealth.query(vertx))
        .compose(before -> {
          clock.millis.addAndGet(66_000); // past the 60 s deadline and the 5 s grace, by the gateway's clock
          return DeliveryHealth.query(vertx).map(after -> List.of(before, after));
        })
        .onComplete(test.succeeding(both -> test.verify(() -> {
          assertTrue(both.get(0).healthy(), both.get(0).toJson().encode());
          DeliveryHealth after = both.get(1);
          assertFalse(after.healthy());
          assertEquals("dest:ops", after.stuck().get(0).lane());
          assertTrue(after.stuck().get(0).inFlightMs() >= 66_000);
          test.completeNow();
        })));
  }
}
