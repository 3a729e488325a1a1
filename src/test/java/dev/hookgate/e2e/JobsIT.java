package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs as users run them, against the fat jar and a fake chat server: long reports beside quick commands. */
class JobsIT {
  static final String TOKEN = "jobsittoken0123456789abc";
  static FakeChatServer chat;
  @TempDir Path dir;

  @BeforeAll
  static void startChat() throws Exception {
    chat = FakeChatServer.start();
  }

  @AfterAll
  static void stopChat() {
    chat.close();
  }

  private GatewayProcess start(String commands, Map<String, String> env) throws Exception {
    Path config = dir.resolve("hookgate.yaml");
    Files.writeString(config, """
        store: {path: data/hookgate.db}
        admin: {token: "${HOOKGATE_ADMIN_TOKEN:-}"}
        jobs: {worker-instances: 4}
        response-url: {allowed-hosts: ["http://127.0.0.1:%d"], max-post-chars: 16000}
        destinations:
          ops: {url: "http://127.0.0.1:9/placeholder"}
        commands:
        %s""".formatted(chat.port(), commands.indent(2)));
    return GatewayProcess.start(dir, config, env);
  }

  private static String form(String command, String text, String responseUrl) {
    return "token=" + TOKEN + "&command=%2F" + command + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
        + "&user_name=alice&user_id=u1&channel_id=c1&response_url=" + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8);
  }

  private static String path(String responseUrl) {
    return responseUrl.substring(responseUrl.indexOf("/hooks/"));
  }

  @Test
  void withFourWorkersEightQuickCommandsAreAllAnsweredWithinThreeSecondsWhileATwentySecondJobRuns()
      throws Exception {
    try (GatewayProcess gw = start("""
        report: {token: %1$s, job: {exec: [sleep, "20"], timeout: 1m}, reply: {template: "report done"}}
        echo: {token: %1$s, concurrency: 8, job: {template: "echo {{text}}"}}
        """.formatted(TOKEN), Map.of())) {
      String reportUrl = chat.issueResponseUrl();
      assertEquals(200, gw.postForm("/commands/report", form("report", "", reportUrl)).statusCode());
      await("the report to start", 10_000, () -> {
        try {
          return gw.output().contains("command=report started");
        } catch (java.io.IOException e) {
          return false;
        }
      });
      List<String> urls = new ArrayList<>();
      List<Long> sentAt = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String url = chat.issueResponseUrl();
        urls.add(url);
        sentAt.add(System.currentTimeMillis());
        assertEquals(200, gw.postForm("/commands/echo", form("echo", "quick " + i, url)).statusCode());
      }
      await("the eight quick replies (well before the report's 20 s)", 15_000,
          () -> urls.stream().allMatch(u -> chat.postsTo(path(u)).size() == 1));
      assertTrue(chat.postsTo(path(reportUrl)).isEmpty(), "the report is still running");
      List<Long> took = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        took.add(chat.postsTo(path(urls.get(i))).get(0).receivedAt() - sentAt.get(i));
      }
      System.out.println("quick commands beside a 20 s job, command to reply (ms): " + took);
      for (int i = 0; i < 8; i++) {
        FakeChatServer.Post reply = chat.postsTo(path(urls.get(i))).get(0);
        assertEquals("echo quick " + i, reply.text());
        assertTrue(took.get(i) < 3_000, "quick command " + i + " answered after " + took.get(i) + " ms");
      }
      await("the report's own reply", 40_000, () -> chat.postsTo(path(reportUrl)).size() == 1);
    }
  }

  @Test
  void aSixtyFiveSecondExecJobWithinItsTwoMinuteTimeoutIsNeverReportedAsABlockedThread() throws Exception {
    // Vert.x reports a worker thread blocked past 60 s (its default max worker execute time, which
    // the gateway keeps): a 65 s job crosses that line
    try (GatewayProcess gw = start("""
        report: {token: %1$s, job: {exec: [sh, -c, "sleep 65; echo report ready"], timeout: 2m}}
        """.formatted(TOKEN), Map.of())) {
      String url = chat.issueResponseUrl();
      assertEquals(200, gw.postForm("/commands/report", form("report", "", url)).statusCode());
      await("the report's reply", 100_000, () -> chat.postsTo(path(url)).size() == 1);
      assertEquals("report ready", chat.postsTo(path(url)).get(0).text());
      String log = gw.output();
      assertFalse(log.contains("Thread blocked"), log);
      assertTrue(log.contains("succeeded in 6"), log); // the job ran its 65 s (6x,xxx ms), not cut short
    }
  }

  @Test
  void aScriptThatLeavesABackgroundChildHoldingStdoutGetsItsOutputDeliveredTheChildEndedAndTheUserTold()
      throws Exception {
    Path pidFile = dir.resolve("child.pid");
    try (GatewayProcess gw = start("""
        daemon: {token: %1$s, job: {exec: [sh, -c, "echo hi; ( sleep 120 ) & echo $! > '%2$s'; exit 0"]}}
        """.formatted(TOKEN, pidFile), Map.of())) {
      String url = chat.issueResponseUrl();
      assertEquals(200, gw.postForm("/commands/daemon", form("daemon", "", url)).statusCode());
      await("the reply", 30_000, () -> chat.postsTo(path(url)).size() == 1);
      String text = chat.postsTo(path(url)).get(0).text();
      assertTrue(text.startsWith("hi\n"), text);
      assertTrue(text.contains("left 1 process(es) running in the background: ended when it exited"), text);
      long child = Long.parseLong(Files.readString(pidFile).trim());
      await("the background child to be gone", 10_000,
          () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }
  }

  @Test
  void execJobsDoNotSeeTheGatewaysSecretsGivenInItsEnvironment() throws Exception {
    String adminToken = "admin-secret-4f7c2b9e1d3a5c8e";
    String hookUrl = chat.incomingHookUrl("hook-secret-7e6d5c4b3a29");
    try (GatewayProcess gw = start("""
        env: {token: placeholder-token-000000, job: {exec: [env]}}
        """, Map.of("HOOKGATE_ADMIN_TOKEN", adminToken, "HOOKGATE_COMMANDS_ENV_TOKEN", TOKEN,
            "HOOKGATE_DESTINATIONS_OPS_URL", hookUrl, "SOME_API_KEY", "api-secret-0c1d2e3f"))) {
      // the gateway took its secrets from these variables: the admin API and the command answer with them
      assertEquals(200, gw.get("/api/deliveries?state=dead", "Authorization", "Bearer " + adminToken).statusCode());
      String url = chat.issueResponseUrl();
      assertEquals(200, gw.postForm("/commands/env", form("env", "show", url)).statusCode());
      await("the job's environment", 30_000, () -> chat.postsTo(path(url)).size() == 1);
      String env = chat.postsTo(path(url)).get(0).text();
      assertTrue(env.contains("HOOKGATE_TEXT=show"), env); // it is the job's environment
      assertTrue(env.contains("PATH="), env);
      for (String secret : List.of(adminToken, TOKEN, "hook-secret-7e6d5c4b3a29", "api-secret-0c1d2e3f",
          "HOOKGATE_ADMIN_TOKEN", "HOOKGATE_COMMANDS_ENV_TOKEN", "HOOKGATE_DESTINATIONS_OPS_URL", "SOME_API_KEY")) {
        assertFalse(env.contains(secret), "the job sees " + secret + ":\n" + env);
      }
    }
  }
}
