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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two fat-jar nodes on one PostgreSQL database (store.lease 3s); the node that owns the destination
 * is killed with {@code kill -9} while notifications are still queued and jobs are running. The
 * other node takes over its lane, its running jobs and its queued replies once the leases expire;
 * nothing accepted is lost.
 */
class FailoverIT {
  static final String KEY = "failoverkey0123456789abc";
  static final String TOKEN = "failovertoken0123456789a";
  static final int NOTIFICATIONS = 1000;
  static final int COMMANDS = 40;

  @TempDir Path dir;

  @Test
  void theSurvivorFinishesTheWorkOfAKilledNode() throws Exception {
    try (PgTestDatabase db = PgTestDatabase.create("FailoverIT"); FakeChatServer chat = FakeChatServer.start()) {
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, """
          store: {kind: postgres, postgres: {uri: "%s"}, lease: 3s}
          response-url: {allowed-hosts: ["http://127.0.0.1:%d"]}
          delivery: {backoff: [100ms, 200ms]}
          destinations:
            ops: {url: "%s", rate-per-second: 5, burst: 1, max-post-chars: 120}
          hooks:
            alerts: {key: %s, destination: ops}
          commands:
            slow:
              token: %s
              job: {exec: [sh, -c, 'echo "$HOOKGATE_TEXT" >> runs.txt; sleep 2; echo "ran $HOOKGATE_TEXT"']}
              reply: {template: "{{output}}"}
              concurrency: 2
              max-queued: 100
          """.formatted(db.uri(), chat.port(), chat.incomingHookUrl("opsid"), KEY, TOKEN));
      GatewayProcess a = GatewayProcess.start(dir, config, Map.of());
      GatewayProcess b = GatewayProcess.start(dir, config, Map.of());
      try {
        List<GatewayProcess> nodes = List.of(a, b);
        List<String> commands = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        ExecutorService producers = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
          String text = String.format("cmd-%04d", i);
          commands.add(text);
          String form = "token=" + TOKEN + "&command=%2Fslow&text=" + text + "&user_id=u1&channel_id=c1&response_url="
              + URLEncoder.encode(chat.issueResponseUrl(), StandardCharsets.UTF_8);
          GatewayProcess node = nodes.get(i % 2);
          answers.add(producers.submit(() -> node.postForm("/commands/slow", form).statusCode()));
        }
        for (int i = 0; i < NOTIFICATIONS; i++) {
          String line = String.format("notification %04d", i);
          lines.add(line);
          GatewayProcess node = nodes.get(i % 2);
          answers.add(producers.submit(() -> node.postJson("/hooks/" + KEY, new JsonObject().put("text", line).encode())
              .statusCode()));
        }
        for (Future<Integer> f : answers) {
          assertEquals(200, f.get(60, TimeUnit.SECONDS));
        }
        producers.shutdown();

        String owns = "this node now sends to dest:ops";
        await("a node owning the destination", 10_000, () -> output(a).contains(owns) || output(b).contains(owns));
        GatewayProcess victim = output(a).contains(owns) ? a : b;
        GatewayProcess survivor = victim == a ? b : a;
        int deliveredAtKill = TwoNodeIT.notificationLines(chat).size();
        long killedAt = System.currentTimeMillis();
        victim.kill();
        assertTrue(deliveredAtKill < NOTIFICATIONS / 2, "most notifications must still be queued at the kill, "
            + deliveredAtKill + " were out");

        try {
          await("every notification, job and reply after the kill", 90_000,
              () -> TwoNodeIT.notificationLines(chat).keySet().containsAll(lines)
                  && TwoNodeIT.replies(chat).keySet().containsAll(commands));
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + ": " + TwoNodeIT.notificationLines(chat).size() + " lines, "
              + TwoNodeIT.replies(chat).size() + " replies; survivor log tail:\n" + TwoNodeIT.tail(survivor), e);
        }
        long done = System.currentTimeMillis();
        Thread.sleep(1000);
        assertTrue(output(survivor).contains(owns), "the survivor took over the destination");

        List<String> runs = Files.readAllLines(dir.resolve("runs.txt"));
        Map<String, Integer> runCounts = new HashMap<>();
        runs.forEach(r -> runCounts.merge(r.strip(), 1, Integer::sum));
        assertEquals(COMMANDS, runCounts.size(), "jobs run: " + runCounts.keySet());
        long rerun = runCounts.values().stream().filter(n -> n > 1).count();
        // only the jobs running on the victim at the kill run again: at most its concurrency (2)
        assertTrue(rerun <= 2, rerun + " jobs ran twice");
        Map<String, Integer> replies = TwoNodeIT.replies(chat);
        long replyDuplicates = replies.values().stream().filter(n -> n > 1).count();
        assertTrue(replyDuplicates <= 1, replyDuplicates + " replies sent twice");
        Map<String, Integer> received = TwoNodeIT.notificationLines(chat);
        assertEquals(NOTIFICATIONS, received.size(), "unknown lines");
        long lineDuplicates = received.values().stream().filter(n -> n > 1).count();
        // max-in-flight 1, 120-character posts: at most the one post in flight at the kill (6 lines)
        assertTrue(lineDuplicates <= 6, lineDuplicates + " lines sent twice");

        // the lane paused between the kill and the takeover: the lease (3 s) had to expire
        List<Long> times = chat.requestTimes();
        long lastBefore = times.stream().filter(t -> t <= killedAt).mapToLong(Long::longValue).max().orElse(killedAt);
        long firstAfter = times.stream().filter(t -> t > killedAt).mapToLong(Long::longValue).min().orElse(0);
        System.out.printf("failover: %d of %d lines delivered at the kill; the survivor's first post %d ms after the "
                + "kill (%d ms after the victim's last); all done %d ms after the kill; jobs run twice: %d, replies "
                + "sent twice: %d, lines sent twice: %d%n", deliveredAtKill, NOTIFICATIONS, firstAfter - killedAt,
            firstAfter - lastBefore, done - killedAt, rerun, replyDuplicates, lineDuplicates);
      } finally {
        a.close();
        b.close();
      }
    }
  }

  static String output(GatewayProcess gw) {
    try {
      return gw.output();
    } catch (Exception e) {
      return "";
    }
  }
}
