package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the fat jar while a post is in flight (the chat server takes 3 s to answer): the stop
 * waits for the answer and records it, so after a restart every notification has arrived exactly once.
 */
class DeliveryDrainIT {
  static final String KEY = "drainitkey0123456789abcdef";

  @TempDir Path dir;

  @Test
  void sigtermWithAPostInFlightSendsNothingTwice() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, """
          store: {path: data/hookgate.db}
          destinations:
            ops: {url: "%s", rate-per-second: 50, burst: 50}
          hooks:
            alerts: {key: %s, destination: ops}
          """.formatted(chat.incomingHookUrl("opsid"), KEY));
      List<String> sent = new ArrayList<>();
      chat.latency(3_000);
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        for (int i = 0; i < 20; i++) {
          sent.add("event " + i);
          assertEquals(200, gw.postJson("/hooks/" + KEY, new JsonObject().put("text", "event " + i).encode())
              .statusCode());
        }
        await("a post in flight", 10_000, () -> !chat.requestTimes().isEmpty());
        gw.terminate();
        assertTrue(gw.output().contains("post(s) in flight"), gw.output());
      }
      chat.latency(0);
      try (GatewayProcess again = GatewayProcess.start(dir, config, Map.of())) {
        sent.add("after the restart");
        assertEquals(200, again.postJson("/hooks/" + KEY, new JsonObject().put("text", "after the restart").encode())
            .statusCode());
        // the lane keeps id order: anything sent again would arrive before the last message
        await("the message posted after the restart", 20_000,
            () -> RelayE2ETest.lines(chat).contains("after the restart"));
        assertEquals(sent, RelayE2ETest.lines(chat));
      }
    }
  }
}
