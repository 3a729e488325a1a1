package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the fat jar with a running job that ends within the grace period, one that does not,
 * and a backlog of notifications: the first job's reply is delivered, the second job is re-run
 * after the restart, and no queued notification is lost.
 */
class ShutdownIT {
  static final String TOKEN = "shutdowntoken0123456789a";
  static final String KEY = "shutdownkey0123456789abc";

  @TempDir Path dir;

  @Test
  void sigtermFinishesWhatItCanAndLosesNothing() throws Exception {
    Path marker = dir.resolve("first-run-started");
    Path slow = dir.resolve("slow.sh");
    Files.writeString(slow, """
        #!/bin/sh
        if [ -e "%1$s" ]; then echo "second run"; exit 0; fi
        touch "%1$s"
        sleep 60
        echo "first run"
        """.formatted(marker));
    slow.toFile().setExecutable(true);
    try (FakeChatServer chat = FakeChatServer.start()) {
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, """
          store: {path: data/hookgate.db}
          shutdown: {grace: 3s}
          response-url: {allowed-hosts: ["http://127.0.0.1:%1$d"]}
          delivery: {backoff: [200ms]}
          destinations:
            ops: {url: "%2$s", rate-per-second: 50, burst: 50}
          commands:
            quick: {token: %3$s, job: {exec: [sh, -c, "sleep 1; echo quick done"]}}
            slow: {token: %3$s, job: {exec: ["%4$s"], timeout: 2m}}
          hooks:
            alerts: {key: %5$s, destination: ops}
          """.formatted(chat.port(), chat.incomingHookUrl("opsid"), TOKEN, slow, KEY));
      String quickUrl = chat.issueResponseUrl();
      String slowUrl = chat.issueResponseUrl();
      List<String> notifications = new ArrayList<>();
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        chat.failFor(60_000, 503); // the destination is down: notifications pile up
        for (int i = 0; i < 20; i++) {
          notifications.add("queued " + i);
          assertEquals(200, gw.postJson("/hooks/" + KEY, new JsonObject().put("text", "queued " + i).encode())
              .statusCode());
        }
        assertEquals(200, gw.postForm("/commands/slow", form("slow", slowUrl)).statusCode());
        await("the slow job to start", 10_000, () -> Files.exists(marker));
        assertEquals(200, gw.postForm("/commands/quick", form("quick", quickUrl)).statusCode());
        Thread.sleep(200); // let the quick job start: it needs 1 s of its 3 s grace

        long before = System.currentTimeMillis();
        gw.terminate();
        long took = System.currentTimeMillis() - before;
        assertTrue(took < 15_000, "stopped in " + took + " ms");
        String log = gw.output();
        assertTrue(log.contains("still running after the grace period"), log);
      }
      chat.failFor(0, 503);
      try (GatewayProcess again = GatewayProcess.start(dir, config, Map.of())) {
        String quickPath = quickUrl.substring(quickUrl.indexOf("/hooks/"));
        String slowPath = slowUrl.substring(slowUrl.indexOf("/hooks/"));
        await("the quick job's reply, once", 20_000, () -> chat.postsTo(quickPath).size() == 1);
        await("the slow job re-run after the restart", 20_000, () -> chat.postsTo(slowPath).size() == 1);
        assertEquals("quick done", chat.postsTo(quickPath).get(0).text());
        assertEquals("second run", chat.postsTo(slowPath).get(0).text());
        await("every queued notification", 20_000,
            () -> RelayE2ETest.lines(chat).containsAll(notifications));
      }
    }
  }

  static String form(String command, String responseUrl) {
    return "token=" + TOKEN + "&command=%2F" + command + "&text=go&user_id=u1&channel_id=c1&response_url="
        + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8);
  }
}
