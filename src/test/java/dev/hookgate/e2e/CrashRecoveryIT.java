package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the fat jar with most of 2,000 accepted notifications still queued: after a restart on
 * the same store every accepted line reaches the chat server; duplicates are at most what was in
 * flight at the kill.
 */
class CrashRecoveryIT {
  static final String KEY = "crashkey0123456789abcdef";

  @TempDir Path dir;

  @Test
  void killNineLosesNoAcceptedNotification() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      chat.rateLimit(100); // the chat server accepts 100 posts a second; the destination sends 10 (about
      // 60 lines a second), so that most lines are still queued at the kill unless posting takes over 16 s
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, """
          store: {path: data/hookgate.db}
          delivery: {backoff: [100ms, 200ms]}
          destinations:
            ops: {url: "%s", rate-per-second: 10, burst: 1, max-post-chars: 120}
          hooks:
            alerts: {key: %s, destination: ops}
          """.formatted(chat.incomingHookUrl("opsid"), KEY));
      List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        // 16 producers at once, as a flood looks
        java.util.concurrent.ExecutorService producers = java.util.concurrent.Executors.newFixedThreadPool(16);
        for (int i = 0; i < 2000; i++) {
          String line = String.format("notification %04d", i);
          producers.submit(() -> {
            if (gw.postJson("/hooks/" + KEY, new JsonObject().put("text", line).encode()).statusCode() == 200) {
              accepted.add(line);
            }
            return null;
          });
        }
        producers.shutdown();
        assertTrue(producers.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
        gw.kill();
      }
      assertEquals(2000, accepted.size());
      int deliveredAtKill = lines(chat).size();
      assertTrue(deliveredAtKill < 1000, "most must still be queued at the kill, " + deliveredAtKill + " were out");

      try (GatewayProcess again = GatewayProcess.start(dir, config, Map.of())) {
        try {
          await("every accepted line after the restart", 90_000,
              () -> new LinkedHashSet<>(lines(chat)).containsAll(accepted));
        } catch (AssertionError e) {
          String log = again.output();
          throw new AssertionError(e.getMessage() + "; received " + new LinkedHashSet<>(lines(chat)).size()
              + " distinct lines; gateway log tail:\n" + log.substring(Math.max(0, log.length() - 4000)), e);
        }
        List<String> received = lines(chat);
        Map<String, Integer> counts = new HashMap<>();
        received.forEach(l -> counts.merge(l, 1, Integer::sum));
        long duplicates = counts.values().stream().filter(c -> c > 1).count();
        // max-in-flight 1 and 120-char posts: at most one post (a few lines) was in flight at the kill
        assertTrue(duplicates <= 10, duplicates + " duplicated lines");
        Set<String> unknown = new LinkedHashSet<>(received);
        unknown.removeAll(accepted);
        assertTrue(unknown.isEmpty(), "lines never sent: " + unknown);
        System.out.printf("crash test: %d delivered before the kill, %d duplicated line(s) after restart%n",
            deliveredAtKill, duplicates);
      }
    }
  }

  static List<String> lines(FakeChatServer chat) {
    List<String> out = new ArrayList<>();
    chat.posts().forEach(p -> out.addAll(List.of(p.text().split("\n"))));
    return out;
  }
}
