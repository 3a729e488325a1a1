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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two fat-jar nodes on one PostgreSQL database, 1,000 slash commands and 5,000 notifications spread
 * over both: every job runs once (one reply each), every notification reaches the destination once,
 * and the destination's rate limit (R a second, burst B) holds across both nodes: no window of one
 * second sees more than R + B requests.
 */
class TwoNodeIT {
  static final String KEY = "twonodekey0123456789abcd";
  static final String TOKEN = "twonodetoken0123456789ab";
  static final int RATE = 20;
  static final int BURST = 5;
  static final int COMMANDS = 1000;
  static final int NOTIFICATIONS = 5000;

  @TempDir Path dir;

  @Test
  void twoNodesShareTheWorkAndTheRateLimit() throws Exception {
    try (PgTestDatabase db = PgTestDatabase.create("TwoNodeIT"); FakeChatServer chat = FakeChatServer.start()) {
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, config(db, chat, "3s"));
      try (GatewayProcess a = GatewayProcess.start(dir, config, Map.of());
          GatewayProcess b = GatewayProcess.start(dir, config, Map.of())) {
        List<GatewayProcess> nodes = List.of(a, b);
        long started = System.currentTimeMillis();
        List<String> commandTexts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        ExecutorService producers = Executors.newFixedThreadPool(16);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < NOTIFICATIONS; i++) {
          GatewayProcess node = nodes.get(i % 2);
          String line = String.format("notification %04d", i);
          lines.add(line);
          answers.add(producers.submit(() -> node.postJson("/hooks/" + KEY, new JsonObject().put("text", line).encode())
              .statusCode()));
          if (i % 5 == 0) {
            GatewayProcess other = nodes.get((i / 5) % 2);
            String text = String.format("cmd-%04d", i / 5);
            commandTexts.add(text);
            String form = form(text, chat.issueResponseUrl());
            answers.add(producers.submit(() -> other.postForm("/commands/echo", form).statusCode()));
          }
        }
        for (Future<Integer> f : answers) {
          assertEquals(200, f.get(60, TimeUnit.SECONDS));
        }
        producers.shutdown();
        long ingested = System.currentTimeMillis();
        assertEquals(COMMANDS, commandTexts.size());

        try {
          await("every reply and every notification", 90_000, () -> replies(chat).keySet().containsAll(commandTexts)
              && notificationLines(chat).keySet().containsAll(lines));
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + ": " + replies(chat).size() + " replies, "
              + notificationLines(chat).size() + " notification lines; node A log tail:\n" + tail(a) + "\nnode B:\n"
              + tail(b), e);
        }
        long done = System.currentTimeMillis();
        Thread.sleep(1500); // a late duplicate would show up now

        Map<String, Integer> replies = replies(chat);
        long replyDuplicates = replies.values().stream().filter(n -> n > 1).count();
        assertEquals(COMMANDS, replies.size(), "replies to unknown commands");
        assertEquals(0, replyDuplicates, () -> "a job ran twice or its reply was sent twice: " + duplicated(replies, a, b));
        Map<String, Integer> received = notificationLines(chat);
        long lineDuplicates = received.values().stream().filter(n -> n > 1).count();
        assertEquals(NOTIFICATIONS, received.size(), "unknown notification lines");
        // no node died: nothing was sent twice
        assertEquals(0, lineDuplicates, "notification lines delivered twice");

        List<Long> times = new ArrayList<>(chat.requestTimes());
        Collections.sort(times);
        int maxWindow = maxPerSecond(times);
        assertTrue(maxWindow <= RATE + BURST, "a one-second window saw " + maxWindow + " requests; limit "
            + (RATE + BURST));

        int ownersA = count(a.output(), "this node now sends to dest:ops");
        int ownersB = count(b.output(), "this node now sends to dest:ops");
        assertEquals(1, ownersA + ownersB, "exactly one node owns the destination");
        int jobsA = count(a.output(), "command=echo started");
        int jobsB = count(b.output(), "command=echo started");
        assertEquals(COMMANDS, jobsA + jobsB, "job starts");
        System.out.printf("two nodes: %d commands + %d notifications ingested in %d ms, all delivered after %d ms; "
                + "%d posts to the destination (max %d in any 1 s window, limit %d); jobs run by A/B: %d/%d; "
                + "destination owned by %s; duplicates: %d replies, %d lines%n",
            COMMANDS, NOTIFICATIONS, ingested - started, done - started, times.size(), maxWindow, RATE + BURST,
            jobsA, jobsB, ownersA == 1 ? "A" : "B", replyDuplicates, lineDuplicates);
      }
    }
  }

  static String config(PgTestDatabase db, FakeChatServer chat, String lease) {
    return """
        store: {kind: postgres, postgres: {uri: "%s"}, lease: %s}
        response-url: {allowed-hosts: ["http://127.0.0.1:%d"]}
        delivery: {backoff: [100ms, 200ms]}
        destinations:
          ops: {url: "%s", rate-per-second: %d, burst: %d, max-post-chars: 300}
        hooks:
          alerts: {key: %s, destination: ops}
        commands:
          echo:
            token: %s
            job: {template: "ran {{text}}"}
            reply: {template: "{{output}}"}
            concurrency: 8
            max-queued: 5000
        """.formatted(db.uri(), lease, chat.port(), chat.incomingHookUrl("opsid"), RATE, BURST, KEY, TOKEN);
  }

  static String form(String text, String responseUrl) {
    return "token=" + TOKEN + "&command=%2Fecho&text=" + text + "&user_id=u1&channel_id=c1&response_url="
        + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8);
  }

  /** Reply posts per command text. */
  static Map<String, Integer> replies(FakeChatServer chat) {
    Map<String, Integer> out = new HashMap<>();
    Pattern p = Pattern.compile("cmd-\\d{4}");
    chat.postsTo("/hooks/commands/").forEach(post -> {
      Matcher m = p.matcher(post.text());
      while (m.find()) {
        out.merge(m.group(), 1, Integer::sum);
      }
    });
    return out;
  }

  /** Lines received by the destination, with how many times each. */
  static Map<String, Integer> notificationLines(FakeChatServer chat) {
    Map<String, Integer> out = new HashMap<>();
    chat.postsTo("/hooks/opsid").forEach(post -> {
      for (String l : post.text().split("\n")) {
        if (!l.isBlank()) {
          out.merge(l, 1, Integer::sum);
        }
      }
    });
    return out;
  }

  /** The most requests in any window [t, t + 1000 ms). */
  static int maxPerSecond(List<Long> sorted) {
    int max = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (sorted.get(to) - sorted.get(from) >= 1000) {
        from++;
      }
      max = Math.max(max, to - from + 1);
    }
    return max;
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** The commands replied to more than once, with the lines of each node's log that name their job. */
  private static String duplicated(Map<String, Integer> replies, GatewayProcess a, GatewayProcess b) {
    StringBuilder out = new StringBuilder();
    try {
      for (Map.Entry<String, Integer> e : replies.entrySet()) {
        if (e.getValue() > 1) {
          out.append(e.getKey()).append(" x").append(e.getValue()).append('\n');
          for (GatewayProcess node : List.of(a, b)) {
            node.output().lines().filter(l -> l.contains(e.getKey()) || l.contains("WARN") || l.contains("ERROR"))
                .limit(40).forEach(l -> out.append(node == a ? "A: " : "B: ").append(l).append('\n'));
          }
        }
      }
    } catch (java.io.IOException ex) {
      out.append(ex);
    }
    return out.toString();
  }

  static String tail(GatewayProcess gw) throws Exception {
    String log = gw.output();
    return log.substring(Math.max(0, log.length() - 3000));
  }
}
