package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.delivery.DeliveryHealth;
import dev.hookgate.ops.ConfigReloader;
import dev.hookgate.store.DeliveryState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A reload that drops a destination while deliveries to it are queued: they wait (reported by the
 * delivery health and the log), none is made dead, and they leave once a reload brings it back.
 */
class UnconfiguredDestinationTest {
  private static final String KEY = "unconfkey0123456789abcdef";

  private static String config(FakeChatServer chat, boolean withOps) {
    String ops = withOps ? "  ops: {url: \"" + chat.incomingHookUrl("opsid") + "\"}\n" : "";
    String hook = withOps ? "hooks:\n  alerts: {key: " + KEY + ", destination: ops}\n" : "";
    return """
        store: {path: "${DB}"}
        delivery: {backoff: [300ms]}
        destinations:
          dev: {url: "%s"}
        %s%s""".formatted(chat.incomingHookUrl("devid"), ops, hook).replace("destinations:\n",
        "destinations:\n");
  }

  @Test
  void deliveriesOfARemovedDestinationWaitAndLeaveOnceItIsBack() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat, true))) {
      Path file = gw.dir().resolve("hookgate.yaml");
      ConfigReloader reloader = ConfigReloader.start(gw.vertx(), file.toString(),
          Map.of("DB", gw.dir().resolve("hookgate.db").toString(), "HOOKGATE_HTTP_PORT", "0"),
          gw.gateway().services().configRef(), 3_600_000);
      chat.failFor(600_000, 503);
      for (int i = 0; i < 3; i++) {
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\": \"alert " + i + "\"}").statusCode());
      }
      await("a failed attempt of the three", 20_000, () -> !chat.requestTimes().isEmpty());

      Files.writeString(file, config(chat, false));
      assertTrue(reloader.reload("test").await(10, TimeUnit.SECONDS), "the reload without ops applied");
      await("ops reported as waiting for its config", 10_000, () -> unconfigured(gw).stream()
          .anyMatch(l -> l.destination().equals("ops") && l.queued() == 3));
      chat.failFor(0, 503); // the chat server is back: the lane still waits for its config
      int tried = chat.requestTimes().size();
      await("ops still waiting two seconds after the outage", 10_000, () -> unconfigured(gw).stream()
          .anyMatch(l -> l.destination().equals("ops") && l.queued() == 3 && l.sinceMs() > 2000));
      assertEquals(tried, chat.requestTimes().size(), "nothing was sent to ops while it was not configured");
      assertEquals(List.of(), chat.postsTo("/hooks/opsid"));
      assertEquals(0, gw.gateway().services().store().deliveries(DeliveryState.DEAD, 10)
          .await(10, TimeUnit.SECONDS).size(), "no delivery is dead");

      Files.writeString(file, config(chat, true));
      assertTrue(reloader.reload("test").await(10, TimeUnit.SECONDS), "the reload with ops applied");
      await("the three alerts delivered", 10_000, () -> chat.postsTo("/hooks/opsid").stream()
          .flatMap(p -> p.text().lines()).count() == 3);
      assertEquals(List.of("alert 0", "alert 1", "alert 2"),
          chat.postsTo("/hooks/opsid").stream().flatMap(p -> p.text().lines()).toList());
      assertEquals(List.of(), unconfigured(gw));
    }
  }

  private static List<DeliveryHealth.UnconfiguredLane> unconfigured(TestGateway gw) {
    try {
      return DeliveryHealth.query(gw.vertx()).await(10, TimeUnit.SECONDS).unconfigured();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
