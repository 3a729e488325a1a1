package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.Services;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.NewDelivery;
import dev.hookgate.store.SqlStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The claimer alone over a real SQLite store: what it leases, and when it lets a lane take work from memory again. */
@ExtendWith(VertxExtension.class)
class ClaimerTest {
  @TempDir Path dir;

  private static NewDelivery toOps(String text, long now) {
    return NewDelivery.toDestination("ops", "alerts", ChatMessage.text("in_channel", text), now, now);
  }

  @Test
  void aSweepLeasesWhatWaitsForAClaimInOrderAndThenTheLaneTakesFromMemory(Vertx vertx, VertxTestContext test) {
    GatewayConfig config = ConfigLoader.resolve(new JsonObject(
        "{\"destinations\": {\"ops\": {\"url\": \"https://chat.example/hooks/ops\"}}}"), Map.of());
    SqlStore store = SqlStore.sqlite(vertx, dir.resolve("hookgate.db"), "full", "node-1");
    DeliveryVerticleTest.MovableClock clock = new DeliveryVerticleTest.MovableClock();
    Services services = Services.of(vertx, new AtomicReference<>(config), store, clock, "node-1",
        GatewayMetrics.create());
    DeliveryHandoff handoff = services.handoff();
    List<Delivery> claimed = new CopyOnWriteArrayList<>();
    long now = clock.millis();
    store.open()
        .compose(v -> {
          // at the start, a destination lane goes by claims: the store may hold its backlog
          DeliveryHandoff.Ticket first = handoff.reserve("dest:ops", 2);
          test.verify(() -> assertFalse(first.leased()));
          return store.enqueueDeliveries(List.of(toOps("one", now), toOps("two", now)), null, null, 0)
              .onSuccess(fresh -> first.stored(List.of()));
        })
        .onComplete(test.succeeding(fresh -> vertx.runOnContext(x -> {
          Claimer claimer = new Claimer(vertx, services, false, claimed::size, List::of, claimed::addAll, handoff);
          claimer.sweep();
          vertx.setPeriodic(20, id -> {
            if (claimed.size() == 2) {
              vertx.cancelTimer(id);
              test.verify(() -> {
                assertEquals(List.of("one", "two"), claimed.stream().map(d -> d.message().text()).toList());
                assertTrue(handoff.reserve("dest:ops", 1).leased(),
                    "the sweep took the lane's whole backlog: its next message goes from memory");
              });
              test.completeNow();
            }
          });
        })));
  }
}
