package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pace a destination learns from its chat server, over HTTP against the fat jar: producers post to a hook, the
 * fake chat server limits like Mattermost (headers) or like Slack (only Retry-After). Each
 * notification is its own post here ({@code coalesce: false}) so that the pace alone is measured.
 */
class LearnedPaceIT {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  private static final String KEY = "pacehookkey0123456789abcd";
  private static final String ADMIN = "paceadmintoken0123456789abcdef";

  private static String yaml(FakeChatServer chat, String destinationExtra) {
    return """
        store: {path: data/hookgate.db}
        admin: {token: %4$s}
        delivery: {max-attempts: 1000}
        destinations:
          ops: {url: "%1$s", coalesce: false %2$s}
        hooks:
          alerts: {key: %3$s, destination: ops}
        """.formatted(chat.incomingHookUrl("opsid"), destinationExtra, KEY, ADMIN);
  }

  private static void post(GatewayProcess gw, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"n" + i + "\"}").statusCode());
    }
  }

  /** 429s answered before the Retry-After of the 429 before them had elapsed. */
  private static long earlyRequests(FakeChatServer chat) {
    List<long[]> limited = chat.rateLimited();
    return chat.requestTimes().stream().filter(t -> limited.stream()
        .anyMatch(l -> t > l[0] && t < l[0] + l[1] - 50)).count(); // 50 ms: the clock's rounding
  }

  @Test
  void configuredAtFiftyInFrontOfAMattermostAllowingTenItFollowsTheHeaders() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      chat.rateLimitWithHeaders(10, 10);
      try (GatewayProcess gw = start(yaml(chat, ", rate-per-second: 50"))) {
        long started = System.currentTimeMillis();
        post(gw, 400);
        await("400 posts", 120_000, () -> chat.posts().size() >= 400);
        long took = System.currentTimeMillis() - started;
        System.out.printf("mattermost-style 10/s with headers, configured 50/s: 400 posts in %d ms, %d answers 429%n",
            took, chat.rateLimited().size());
        assertTrue(chat.rateLimited().size() <= 3, chat.rateLimited().size() + " answers 429");
        assertEquals(0, earlyRequests(chat), "requests before a Retry-After elapsed");
        JsonArray queues = new JsonArray(gw.get("/api/queues", "Authorization", "Bearer " + ADMIN).body());
        double learned = queues.getJsonObject(0).getDouble("rate_per_second");
        assertTrue(learned <= 11, "the admin API shows " + learned + " posts/s");
        assertTrue(gw.get("/metrics").body().contains("hookgate_destination_rate_per_second{destination=\"ops\"}"));
      }
    }
  }

  @Test
  void withoutHeadersASlackLikeServerSeesFewerThanFivePercent429sAfterTheFirstTenSeconds() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      chat.rateLimit(5);
      try (GatewayProcess gw = start(yaml(chat, ""))) {
        long started = System.currentTimeMillis();
        post(gw, 150);
        await("150 posts", 120_000, () -> chat.posts().size() >= 150);
        long late = chat.rateLimited().stream().filter(l -> l[0] > started + 10_000).count();
        long postsLate = chat.posts().stream().filter(p -> p.receivedAt() > started + 10_000).count();
        System.out.printf("slack-style 5/s, no headers: 150 posts in %d ms, %d answers 429 (%d after 10 s, of %d posts)%n",
            System.currentTimeMillis() - started, chat.rateLimited().size(), late, postsLate);
        assertTrue(late < 0.05 * postsLate, late + " answers 429 after 10 s, for " + postsLate + " posts");
        assertEquals(0, earlyRequests(chat), "requests before a Retry-After elapsed");
      }
    }
  }

  private GatewayProcess start(String yaml) throws Exception {
    java.nio.file.Path config = dir.resolve("hookgate.yaml");
    java.nio.file.Files.writeString(config, yaml);
    return GatewayProcess.start(dir, config, java.util.Map.of());
  }
}
