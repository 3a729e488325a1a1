package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar in front of a slow chat server (each response_url answers after 50 ms): 1,500 slash
 * commands in a burst each get their reply exactly once, on their own response_url, none through
 * the fallback hook, and no ERROR line per post. Outcomes only: when the replies arrive is not
 * asserted beyond a generous deadline.
 */
class SlowChatBurstIT {
  static final String TOKEN = "burstittoken0123456789ab";
  static final int COMMANDS = 1500;
  @TempDir Path dir;

  @Test
  void fifteenHundredCommandsAgainstASlowChatServerAreEachAnsweredExactlyOnceAndNoneFallsBack() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      chat.commandHookLatency(50);
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, """
          store: {path: data/hookgate.db}
          response-url: {allowed-hosts: ["http://127.0.0.1:%1$d"]}
          destinations:
            fallback: {url: "%2$s"}
          commands:
            echo:
              token: %3$s
              concurrency: 64
              max-queued: 5000
              job: {template: "echo {{text}}"}
              reply: {fallback: fallback}
          """.formatted(chat.port(), chat.incomingHookUrl("fallback"), TOKEN));
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
          urls.add(chat.issueResponseUrl());
        }
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
          List<Future<Integer>> acks = new ArrayList<>();
          for (int i = 0; i < COMMANDS; i++) {
            String form = "token=" + TOKEN + "&command=%2Fecho&text=n" + i + "&user_name=alice&user_id=u1"
                + "&channel_id=c1&response_url=" + URLEncoder.encode(urls.get(i), StandardCharsets.UTF_8);
            acks.add(senders.submit(() -> gw.postForm("/commands/echo", form).statusCode()));
          }
          for (Future<Integer> ack : acks) {
            assertEquals(200, ack.get());
          }
        } finally {
          senders.shutdown();
        }
        await("a reply on each of the " + COMMANDS + " response_urls", 120_000,
            () -> urls.stream().allMatch(u -> !chat.postsTo(path(u)).isEmpty()));
        // each command has one delivery: once all are delivered, none is pending and no post can follow
        await("the gateway to count the " + COMMANDS + " deliveries delivered", 30_000,
            () -> delivered(gw) >= COMMANDS);
        List<String> twice = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
          String u = urls.get(i);
          List<FakeChatServer.Post> posts = chat.postsTo(path(u));
          if (posts.size() != 1 || chat.uses(u) != 1) {
            twice.add(i + ": " + posts.size() + " posts, " + chat.uses(u) + " uses");
          } else {
            assertEquals("echo n" + i, posts.get(0).text());
          }
        }
        assertEquals(List.of(), twice, "response_urls that did not get exactly one reply");
        assertEquals(List.of(), chat.postsTo("/hooks/fallback"), "replies sent to the fallback");
        String log = gw.output();
        long errors = log.lines().filter(l -> l.contains(" ERROR ") || l.contains("\"level\":\"ERROR\"")).count();
        assertTrue(errors < 10, errors + " ERROR lines:\n" + log.lines().filter(l -> l.contains("ERROR"))
            .limit(20).reduce("", (a, b) -> a + b + "\n"));
      }
    }
  }

  /** The replies the gateway counts as delivered to response_urls ({@code /metrics}). */
  private static double delivered(GatewayProcess gw) {
    try {
      return gw.get("/metrics").body().lines()
          .filter(l -> l.startsWith("hookgate_deliveries_total{") && l.contains("destination=\"response_url\"")
              && l.contains("outcome=\"delivered\""))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception e) {
      return 0;
    }
  }

  private static String path(String responseUrl) {
    return responseUrl.substring(responseUrl.indexOf("/hooks/"));
  }
}
