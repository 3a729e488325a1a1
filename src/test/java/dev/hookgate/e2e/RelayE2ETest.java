package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.store.DeliveryState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The incoming-hook relay end to end: producers post to hookgate, the fake Mattermost receives. */
class RelayE2ETest {
  static final String KEY = "relaykey0123456789abcdef";
  static final Path FIXTURES = dev.hookgate.Fixtures.DIR;

  static String config(FakeChatServer chat, String destinationExtra, String deliveryExtra) {
    return """
        store: {path: "${DB}"}
        http: {max-body-bytes: 65536}
        delivery: {backoff: [200ms, 500ms, 1s] %3$s}
        destinations:
          ops: {url: "%1$s" %2$s}
        hooks:
          alerts: {key: %4$s, destination: ops}
        """.formatted(chat.incomingHookUrl("opsid"), destinationExtra, deliveryExtra, KEY);
  }

  static String fixture(String name) throws Exception {
    return Files.readString(FIXTURES.resolve(name));
  }

  @Test
  void seedCurlIsRelayedVerbatimAndAnsweredOk() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat, "", ""))) {
      HttpResponse<String> r = gw.postJson("/hooks/" + KEY, fixture("seed-hook-curl.json"));
      assertEquals(200, r.statusCode());
      assertEquals("ok", r.body());
      assertEquals("text/plain", r.headers().firstValue("content-type").orElse(""));
      await("the post", 10_000, () -> chat.posts().size() == 1);
      assertEquals("## Message formaté !!\nAvec retour à la ligne et mention @quentinduchemin :relaxed:",
          chat.posts().get(0).text());
    }
  }

  @Test
  void alertmanagerAttachmentsWithoutTextAreRelayedWithChannelAndUsername() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat, "", ""))) {
      // Alertmanager sends no Content-Type charset and no text
      assertEquals(200, gw.post("/hooks/" + KEY, "application/json",
          fixture("alertmanager-0.25-slack-firing.json").getBytes(StandardCharsets.UTF_8)).statusCode());
      await("the post", 10_000, () -> chat.posts().size() == 1);
      JsonObject body = chat.posts().get(0).body();
      assertEquals("#ops", body.getString("channel"));
      assertEquals("Alertmanager", body.getString("username"));
      JsonArray attachments = body.getJsonArray("attachments");
      assertEquals("[FIRING:1] DiskFull (vm-42 page)", attachments.getJsonObject(0).getString("title"));
      assertEquals("danger", attachments.getJsonObject(0).getString("color"));
    }
  }

  @Test
  void formPayloadAndJsonWithoutContentTypeAreAccepted() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat, "", ""))) {
      String form = "payload=" + URLEncoder.encode("{\"text\":\"from a form\"}", StandardCharsets.UTF_8);
      assertEquals(200, gw.post("/hooks/" + KEY, "application/x-www-form-urlencoded",
          form.getBytes(StandardCharsets.UTF_8)).statusCode());
      assertEquals(200, gw.post("/hooks/" + KEY, null, "{\"Text\":\"no content type\"}".getBytes()).statusCode());
      await("both messages (maybe coalesced)", 10_000, () -> lines(chat).size() == 2);
      List<String> texts = lines(chat);
      assertTrue(texts.contains("from a form") && texts.contains("no content type"), texts.toString());
    }
  }

  @Test
  void badPayloadsGetPrecise4xxStoreNothingAndLeaveTheGatewayHealthy() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat, "", ""))) {
      assertError(gw.postJson("/hooks/" + KEY, "{\"text\": \"broken"), 400, "invalid JSON");
      assertError(gw.postJson("/hooks/" + KEY, "{\"text\": 42}"), 400, "field 'text' must be a string");
      assertError(gw.postJson("/hooks/" + KEY, "{\"attachments\": {}}"), 400, "field 'attachments' must be an array");
      assertError(gw.postJson("/hooks/" + KEY, "{\"text\": \"\"}"), 400, "No text specified.");
      assertError(gw.postJson("/hooks/" + KEY, "[1,2]"), 400, "payload must be a JSON object");
      assertError(gw.postJson("/hooks/wrongkey0123456789", "{\"text\": \"hi\"}"), 400, "Invalid webhook.");
      assertError(gw.post("/hooks/" + KEY, "application/json", new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xff, '"', '}'}),
          400, "not valid UTF-8");
      String huge = "{\"text\": \"" + "x".repeat(70_000) + "\"}";
      HttpResponse<String> tooBig = gw.postJson("/hooks/" + KEY, huge);
      assertError(tooBig, 413, "larger than http.max-body-bytes");
      assertEquals("api.context.request_body_too_large.app_error", new JsonObject(tooBig.body()).getString("id"));
      assertError(gw.postJson("/hooks/" + KEY, "{\"text\": \"x\"}", "Idempotency-Key", " "), 400, "Idempotency-Key");

      var store = gw.gateway().services().store();
      assertEquals(0, store.deliveries(DeliveryState.PENDING, 10).await(5, TimeUnit.SECONDS).size()
          + store.deliveries(DeliveryState.DELIVERED, 10).await(5, TimeUnit.SECONDS).size());
      assertEquals(200, gw.get("/health").statusCode());
      assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\": \"still fine\"}").statusCode());
      await("the good post", 10_000, () -> chat.posts().size() == 1);
    }
  }

  /** A relay error, in Mattermost's shape whatever refused it (the handler, the body limit...). */
  static void assertError(HttpResponse<String> r, int status, String messagePart) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertTrue(body.getString("id").matches("[a-z_.]+\\.app_error"), body.encode());
    assertEquals(status, body.getInteger("status_code"), body.encode());
    assertEquals("", body.getString("detailed_error"), body.encode());
    String message = body.getString("message");
    assertTrue(message.contains(messagePart), message);
  }

  @Test
  void aReloadThatRemovesTheHookWhileItsPostArrivesNeverMixesTwoConfigs() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat, "", ""));
         java.net.Socket s = new java.net.Socket("127.0.0.1", gw.gateway().port())) {
      String body = "{\"text\": \"sent before the reload\"}";
      s.getOutputStream().write(("POST /hooks/" + KEY + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 5))
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      // the head is being served (Vert.x counts it active) before the config loses the hook and its destination
      await("the request to be under way", 10_000, () -> activeRequests(gw) >= 2); // this scrape is the other one
      gw.gateway().services().configRef().set(dev.hookgate.config.ConfigParser.parse(
          new JsonObject().put("store", new JsonObject().put("path", gw.dir().resolve("hookgate.db").toString()))));
      s.getOutputStream().write(body.substring(5).getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String answer = LimitsE2ETest.readAll(s, 10_000);
      assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("ok"), answer);
      // stored for the destination of the config it arrived under (what the delivery engine then does with a
      // destination the new config lacks is its own business)
      var store = gw.gateway().services().store();
      List<dev.hookgate.store.Delivery> stored = new ArrayList<>();
      for (DeliveryState state : DeliveryState.values()) {
        stored.addAll(store.deliveries(state, 10).await(5, TimeUnit.SECONDS));
      }
      assertEquals(1, stored.stream().mapToLong(dev.hookgate.store.Delivery::id).distinct().count(), stored.toString());
      assertEquals("ops", stored.get(0).destination());
      assertEquals("alerts", stored.get(0).hook());
      assertEquals("sent before the reload", stored.get(0).message().text());
      assertError(gw.postJson("/hooks/" + KEY, "{\"text\": \"after\"}"), 400, "Invalid webhook.");
    }
  }

  static double activeRequests(TestGateway gw) {
    try {
      return gw.get("/metrics").body().lines().filter(l -> l.startsWith("vertx_http_server_active_requests"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void slackBlocksWithoutTextAreRelayedUnchangedToASlackDestination() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start();
        TestGateway gw = TestGateway.start(config(chat, ", kind: slack", ""))) {
      chat.acceptBlocksLikeSlack();
      JsonArray blocks = new JsonArray("[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Deploy\"}},"
          + "{\"type\":\"section\",\"fields\":[{\"type\":\"mrkdwn\",\"text\":\"*env*\\nprod\"}]}]");
      HttpResponse<String> r = gw.postJson("/hooks/" + KEY, new JsonObject().put("blocks", blocks).encode());
      assertEquals(200, r.statusCode(), r.body());
      await("the post", 10_000, () -> chat.posts().size() == 1);
      assertEquals(blocks, chat.posts().get(0).body().getJsonArray("blocks"));
    }
  }

  @Test
  void refusalsAreLoggedUnderTheHooksNameOrAMaskedKeyAndCountedUnderTheHook() throws Exception {
    try (LogCapture log = new LogCapture("dev.hookgate.http.HookHandler"); FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat, "", ""))) {
      assertEquals(400, gw.postJson("/hooks/" + KEY, "{\"text\": 42}").statusCode());
      assertEquals(400, gw.postJson("/hooks/" + KEY, "{}").statusCode());
      assertEquals(413, gw.postJson("/hooks/" + KEY, "{\"text\": \"" + "x".repeat(70_000) + "\"}").statusCode());
      assertEquals(400, gw.postJson("/hooks/wrongkey0123456789", "{\"text\": \"hi\"}").statusCode());

      List<String> lines = log.lines();
      assertEquals(4, lines.size(), lines.toString());
      assertTrue(lines.get(0).startsWith("relay refused a post to hook alerts: 400 field 'text' must be a string"), lines.get(0));
      assertTrue(lines.get(1).startsWith("relay refused a post to hook alerts: 400 No text specified."), lines.get(1));
      assertTrue(lines.get(2).startsWith("relay refused a post to hook alerts: 413 "), lines.get(2));
      assertTrue(lines.get(3).startsWith("relay refused a post to key wron…: 400 Invalid webhook."), lines.get(3));
      assertTrue(lines.stream().noneMatch(l -> l.contains(KEY) || l.contains("wrongkey0123456789")), lines.toString());

      String metrics = gw.get("/metrics").body();
      assertEquals(2.0, counter(metrics, "alerts", "invalid"), metrics);
      assertEquals(1.0, counter(metrics, "alerts", "too_large"));
      assertEquals(1.0, counter(metrics, "unknown", "invalid_key"));
      assertEquals(0.0, counter(metrics, "unknown", "invalid"), "invalid posts to a known hook are not unknown");
    }
  }

  /** hookgate_hook_messages_total{hook, outcome}; 0 when the series does not exist. */
  static double counter(String metrics, String hook, String outcome) {
    return metrics.lines()
        .filter(l -> l.startsWith("hookgate_hook_messages_total{") && l.contains("hook=\"" + hook + "\"")
            && l.contains("outcome=\"" + outcome + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void repeatedIdempotencyKeyIsDeliveredOnce() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(config(chat, "", ""))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\": \"once\"}", "Idempotency-Key", "abc-1").statusCode());
      }
      assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\": \"other\"}", "Idempotency-Key", "abc-2").statusCode());
      // the two may arrive as one coalesced post: count lines
      await("both messages", 10_000, () -> lines(chat).contains("other"));
      assertEquals(List.of("once", "other"), lines(chat));
    }
  }

  @Test
  void outageOfTenSecondsLosesNothingAndKeepsOrder() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start();
         TestGateway gw = TestGateway.start(config(chat, ", rate-per-second: 50, burst: 50", ""))) {
      long outageEnds = System.currentTimeMillis() + 10_000;
      chat.failFor(10_000, 503);
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        sent.add("event " + i);
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\": \"event " + i + "\"}").statusCode());
      }
      await("every event after the outage", 40_000, () -> lines(chat).size() >= 50);
      assertEquals(sent, lines(chat));
      assertTrue(chat.requestTimes().get(0) < outageEnds, "the first attempt met the outage");
      assertTrue(chat.posts().get(0).receivedAt() >= outageEnds, "and was retried until it was over");
    }
  }

  @Test
  void rateLimitedDestinationGetsAThousandLinesAsFewPostsInOrderHonouringRetryAfter() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start();
         TestGateway gw = TestGateway.start(config(chat, ", rate-per-second: 10, burst: 10", ""))) {
      chat.rateLimit(1);
      List<String> sent = new ArrayList<>();
      long start = System.currentTimeMillis();
      for (int i = 0; i < 1000; i++) {
        String line = String.format("alert %04d: cpu above 80%% on vm-%d", i, i % 7);
        sent.add(line);
        assertEquals(200, gw.postJson("/hooks/" + KEY, new JsonObject().put("text", line).encode()).statusCode());
      }
      await("every line", 30_000, () -> lines(chat).size() >= 1000);
      assertTrue(System.currentTimeMillis() - start < 30_000);
      assertEquals(sent, lines(chat));
      assertTrue(chat.posts().size() <= 20, chat.posts().size() + " posts");
      // no request arrived before the Retry-After of the 429 before it had elapsed
      List<Long> times = chat.requestTimes();
      for (long[] limited : chat.rateLimited()) {
        long next = times.stream().filter(t -> t > limited[0]).findFirst().orElse(Long.MAX_VALUE);
        assertTrue(next == Long.MAX_VALUE || next >= limited[0] + limited[1] - 5,
            "request " + (next - limited[0]) + " ms after a 429 asking for " + limited[1] + " ms");
      }
    }
  }

  static List<String> lines(FakeChatServer chat) {
    List<String> out = new ArrayList<>();
    chat.posts().forEach(p -> out.addAll(List.of(p.text().split("\n"))));
    return out;
  }
}
