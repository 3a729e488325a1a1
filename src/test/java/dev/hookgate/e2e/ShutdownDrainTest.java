package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hookgate.store.Delivery;
import dev.hookgate.store.DeliveryState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop with a post in flight waits for its answer and records it: after a restart the
 * delivery is delivered, not pending, so it is not sent again.
 */
class ShutdownDrainTest {
  private static final String KEY = "drainkey0123456789abcdef";

  @Test
  void aStopWaitsForThePostInFlightAndARestartDoesNotSendItAgain() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      String yaml = """
          store: {path: "${DB}"}
          destinations:
            ops: {url: "%s"}
          hooks:
            alerts: {key: %s, destination: ops}
          """.formatted(chat.incomingHookUrl("opsid"), KEY);
      chat.latency(2_000);
      Path dir;
      try (TestGateway gw = TestGateway.start(yaml)) {
        dir = gw.dir();
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\": \"in flight\"}").statusCode());
        await("the post in flight", 20_000, () -> !chat.requestTimes().isEmpty());
      } // a graceful stop, while the chat server takes 2 s to answer
      assertEquals(1, chat.posts().size(), "the chat server answered the post before the gateway stopped");
      chat.latency(0);
      try (TestGateway again = TestGateway.start(yaml, dir)) {
        List<Delivery> delivered = again.gateway().services().store().deliveries(DeliveryState.DELIVERED, 10)
            .await(10, TimeUnit.SECONDS);
        List<Delivery> pending = again.gateway().services().store().deliveries(DeliveryState.PENDING, 10)
            .await(10, TimeUnit.SECONDS);
        assertEquals(List.of("in flight"), delivered.stream().map(d -> d.message().text()).toList());
        assertEquals(List.of(), pending, "nothing left to send again");
        assertEquals(1, chat.requestTimes().size());
      }
    }
  }
}
