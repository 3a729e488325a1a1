package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /health and /metrics after a scripted scenario. */
class OpsE2ETest {
  static final String TOKEN = "opstoken0123456789abcdef";
  static final String KEY = "opskey0123456789abcdef00";

  @Test
  void healthIsUpWithEachCheckUpThen503WhileStopping() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat))) {
      HttpResponse<String> r = gw.get("/health");
      assertEquals(200, r.statusCode());
      JsonObject health = new JsonObject(r.body());
      assertEquals("UP", health.getString("status"));
      assertEquals(java.util.Map.of("store", "UP", "deliveries", "UP", "verticles", "UP"), checks(health), r.body());

      gw.gateway().services().ready().set(false); // what a stop does first
      HttpResponse<String> stopping = gw.get("/health");
      assertEquals(503, stopping.statusCode(), stopping.body());
      JsonObject down = new JsonObject(stopping.body());
      assertEquals("DOWN", down.getString("outcome", down.getString("status")), stopping.body());
      assertEquals(java.util.Map.of("store", "UP", "deliveries", "UP", "verticles", "DOWN"), checks(down), stopping.body());
    }
  }

  /** HEAD /health (load balancers and uptime probes): the status of GET, no body. */
  @Test
  void headHealthAnswersTheStatusWithoutABody() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat))) {
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest head = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.url("/health")))
          .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build();
      HttpResponse<String> up = client.send(head, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, up.statusCode());
      assertEquals("", up.body());
      gw.gateway().services().ready().set(false);
      assertEquals(503, client.send(head, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  /** Each named check of a vertx-health-check answer and its status. */
  static java.util.Map<String, String> checks(JsonObject health) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    health.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .forEach(c -> out.put(c.getString("id"), c.getString("status")));
    return out;
  }

  @Test
  void metricsCountCommandsJobsDeliveriesAndCoalescing() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat))) {
      for (int i = 0; i < 2; i++) {
        String form = "token=" + TOKEN + "&text=hi&user_id=u&channel_id=c&response_url="
            + URLEncoder.encode(chat.issueResponseUrl(), StandardCharsets.UTF_8);
        assertEquals(200, gw.postForm("/commands/echo", form).statusCode());
      }
      assertEquals(401, gw.postForm("/commands/echo", "token=wrong&text=hi").statusCode());
      chat.failFor(1500, 503); // a backlog builds up behind the outage, then goes out coalesced
      for (int i = 0; i < 5; i++) {
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"line " + i + "\"}").statusCode());
      }
      await("every delivery", 15_000, () -> chat.posts().size() >= 3
          && RelayE2ETest.lines(chat).containsAll(java.util.List.of("line 0", "line 4")));
      await("metrics to settle", 10_000, () -> value(scrape(gw), "hookgate_deliveries_total",
          "destination=\"ops\",outcome=\"delivered\"") == 5);
      String metrics = scrape(gw);
      assertEquals(2, value(metrics, "hookgate_commands_total", "command=\"echo\",outcome=\"acked\""));
      assertEquals(1, value(metrics, "hookgate_commands_total", "command=\"echo\",outcome=\"unauthorized\""));
      assertEquals(5, value(metrics, "hookgate_hook_messages_total", "hook=\"alerts\",outcome=\"accepted\""));
      assertEquals(2, value(metrics, "hookgate_job_duration_seconds_count", "command=\"echo\",outcome=\"succeeded\""));
      assertEquals(2, value(metrics, "hookgate_deliveries_total", "destination=\"response_url\",outcome=\"delivered\""));
      assertTrue(value(metrics, "hookgate_deliveries_total", "destination=\"ops\",outcome=\"retried\"") >= 1);
      assertTrue(value(metrics, "hookgate_coalesced_posts_total", "destination=\"ops\"") >= 1);
      assertTrue(metrics.contains("vertx_http_server_requests_total"), "Vert.x's own metrics are there too");
      assertFalse(metrics.contains(TOKEN) || metrics.contains(KEY) || metrics.contains("/hooks/commands/"));
    }
  }

  static String config(FakeChatServer chat) {
    return """
        store: {path: "${DB}"}
        response-url: {allowed-hosts: ["http://127.0.0.1:%1$d"]}
        delivery: {backoff: [1s]}
        destinations:
          ops: {url: "%2$s", rate-per-second: 100, burst: 100}
        commands:
          echo: {token: %3$s, job: {template: "echo {{text}}"}}
        hooks:
          alerts: {key: %4$s, destination: ops}
        """.formatted(chat.port(), chat.incomingHookUrl("opsid"), TOKEN, KEY);
  }

  static String scrape(TestGateway gw) {
    try {
      HttpResponse<String> r = gw.get("/metrics");
      assertEquals(200, r.statusCode());
      return r.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value of one series; 0 when absent. */
  static double value(String metrics, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(metrics);
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }
}
