package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coalescing only under pressure, over HTTP against the fat jar: a destination that keeps up gets each message as it
 * was posted; a flood toward a destination of one post a second is merged, in order.
 */
class PressureCoalescingIT {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  private static final String KEY = "presshookkey0123456789abc";

  private static String yaml(FakeChatServer chat, String destinationExtra) {
    return """
        store: {path: data/hookgate.db}
        destinations:
          ops: {url: "%1$s" %2$s}
        hooks:
          alerts: {key: %3$s, destination: ops}
        """.formatted(chat.incomingHookUrl("opsid"), destinationExtra, KEY);
  }

  @Test
  void tenMessagesAtOnceToADestinationThatKeepsUpAreTenPostsEachAsPosted() throws Exception {
    String alertmanager = RelayE2ETest.fixture("alertmanager-0.25-slack-firing.json");
    try (FakeChatServer chat = FakeChatServer.start(); GatewayProcess gw = start(yaml(chat, ""))) {
      List<JsonObject> sent = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        JsonObject body = i % 2 == 0 ? new JsonObject().put("text", "message " + i)
            : new JsonObject(alertmanager).put("channel", "#ops").put("username", "Alertmanager");
        if (i % 2 == 1) {
          body.getJsonArray("attachments").getJsonObject(0).put("title", "group " + i);
        }
        sent.add(body);
        assertEquals(200, gw.postJson("/hooks/" + KEY, body.encode()).statusCode());
      }
      await("ten posts", 20_000, () -> chat.posts().size() >= 10);
      List<JsonObject> got = chat.posts().stream().map(FakeChatServer.Post::body).toList();
      assertEquals(sent, got, "each message posted as it came, none merged, no field added");
    }
  }

  @Test
  void aFloodTowardAOnePostASecondDestinationIsMergedInOrder() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start();
        GatewayProcess gw = start(yaml(chat, ", rate-per-second: 1, burst: 3"))) {
      long started = System.currentTimeMillis();
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        lines.add("line " + i);
        assertEquals(200, gw.postJson("/hooks/" + KEY, new JsonObject().put("text", "line " + i).encode()).statusCode());
      }
      await("the 1,000 lines", 30_000 - (System.currentTimeMillis() - started), () -> received(chat).size() >= 1000);
      assertEquals(lines, received(chat), "every line once, in order");
      assertTrue(chat.posts().size() <= 20, chat.posts().size() + " posts");
    }
  }

  private static List<String> received(FakeChatServer chat) {
    List<String> out = new ArrayList<>();
    chat.posts().forEach(p -> out.addAll(List.of(p.text().split("\n"))));
    return out;
  }

  private GatewayProcess start(String yaml) throws Exception {
    java.nio.file.Path config = dir.resolve("hookgate.yaml");
    java.nio.file.Files.writeString(config, yaml);
    return GatewayProcess.start(dir, config, java.util.Map.of());
  }
}
