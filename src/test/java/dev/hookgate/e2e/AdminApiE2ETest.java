package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API and page end to end: a gateway with an admin token, a fake Mattermost behind it. */
class AdminApiE2ETest {
  static final String ADMIN = "admin-token-0123456789abcdef";
  static final String TOKEN = "xdt3bq8kyjgbxfyhsnd4c1nqwe";
  static final String KEY = "adminhookkey0123456789ab";
  static final String DIGEST_KEY = "digesthookkey0123456789a";
  static FakeChatServer chat;
  static TestGateway gw;
  /** Every API body the tests saw: none may hold a response_url. */
  static final List<String> bodies = new ArrayList<>();
  static final List<String> responseUrls = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    chat = FakeChatServer.start();
    gw = TestGateway.start("""
        store: {path: "${DB}"}
        admin: {token: %1$s}
        response-url: {allowed-hosts: ["http://127.0.0.1:%2$d"]}
        delivery: {backoff: [100ms, 200ms], max-attempts: 3}
        destinations:
          ops: {url: "%3$s", rate-per-second: 100, burst: 100}
          slow: {url: "%6$s"}
        hooks:
          alerts: {key: %4$s, destination: ops}
          digest: {key: %7$s, destination: slow, coalesce: 1h}
        commands:
          echo:
            token: %5$s
            ack: "job {{job_id}}"
            job: {template: "echo: {{text}}"}
        """.formatted(ADMIN, chat.port(), chat.incomingHookUrl("opsid"), KEY, TOKEN,
        chat.incomingHookUrl("slowid"), DIGEST_KEY));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    chat.close();
    for (String body : bodies) {
      for (String url : responseUrls) {
        String secret = url.substring(url.lastIndexOf('/') + 1);
        assertFalse(body.contains(secret), "an API body holds a response_url: " + body);
      }
      assertFalse(body.contains("/hooks/commands/"), body);
    }
  }

  static HttpResponse<String> admin(String path) throws Exception {
    HttpResponse<String> r = gw.get(path, "Authorization", "Bearer " + ADMIN);
    bodies.add(r.body());
    return r;
  }

  static HttpResponse<String> retry(Object id) throws Exception {
    HttpResponse<String> r = gw.post("/api/deliveries/" + id + "/retry", null, new byte[0],
        "Authorization", "Bearer " + ADMIN);
    bodies.add(r.body());
    return r;
  }

  static JsonArray list(String path) throws Exception {
    HttpResponse<String> r = admin(path);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    return new JsonArray(r.body());
  }

  static Optional<JsonObject> find(JsonArray items, String field, Object value) {
    for (int i = 0; i < items.size(); i++) {
      Object v = items.getJsonObject(i).getValue(field);
      if (value.equals(v) || (value instanceof Number n && v instanceof Number m && n.longValue() == m.longValue())) {
        return Optional.of(items.getJsonObject(i));
      }
    }
    return Optional.empty();
  }

  static void assertError(HttpResponse<String> r, int status, String error, String messagePart) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    JsonObject json = new JsonObject(r.body());
    assertEquals(error, json.getString("error"));
    assertTrue(json.getString("message").contains(messagePart), json.getString("message"));
  }

  // ---------------------------------------------------------------- access

  @Test
  void withoutAnAdminTokenTheApiAndThePageAre404() throws Exception {
    try (TestGateway off = TestGateway.start("store: {path: \"${DB}\"}\n")) {
      for (String path : List.of("/api/jobs", "/api/queues", "/api/jobs/x", "/admin/", "/admin")) {
        assertError(off.get(path, "Authorization", "Bearer " + ADMIN), 404, "not_found",
            "the admin API is disabled (admin.token is not set)");
      }
      assertError(off.post("/api/deliveries/1/retry", null, new byte[0]), 404, "not_found", "admin.token is not set");
    }
  }

  @Test
  void wrongOrMissingTokenIs401() throws Exception {
    assertError(gw.get("/api/jobs"), 401, "unauthorized", "missing admin token");
    assertError(gw.get("/api/jobs", "Authorization", "Bearer "), 401, "unauthorized", "missing admin token");
    assertError(gw.get("/api/jobs", "Authorization", "Token " + ADMIN), 401, "unauthorized", "missing admin token");
    assertError(gw.get("/api/jobs", "Authorization", "Bearer " + ADMIN + "x"), 401, "unauthorized", "invalid admin token");
    assertError(gw.get("/api/queues", "Authorization", "Bearer wrong"), 401, "unauthorized", "invalid admin token");
    assertError(gw.get("/api/nothing-here", "Authorization", "Bearer wrong"), 401, "unauthorized", "invalid");
    assertError(gw.post("/api/deliveries/1/retry", null, new byte[0], "Authorization", "Bearer wrong"),
        401, "unauthorized", "invalid admin token");
    assertError(admin("/api/nothing-here"), 404, "not_found", "no such endpoint");
  }

  // ---------------------------------------------------------------- jobs

  @Test
  void aCommandsJobIsVisibleWithItsStateAndItsReplyAsADeliveryWithoutTheResponseUrl() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    responseUrls.add(responseUrl);
    String form = "channel_id=c1&channel_name=town-square&command=%2Fecho&response_url="
        + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8)
        + "&team_id=t1&text=hello+admin&token=" + TOKEN + "&user_id=u1&user_name=quentin";
    HttpResponse<String> ack = gw.postForm("/commands/echo", form);
    assertEquals(200, ack.statusCode(), ack.body());
    String jobId = new JsonObject(ack.body()).getString("text").substring("job ".length());

    await("the job to succeed", 10_000, () -> {
      try {
        return "succeeded".equals(new JsonObject(admin("/api/jobs/" + jobId).body()).getString("state"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    HttpResponse<String> r = admin("/api/jobs/" + jobId);
    JsonObject job = new JsonObject(r.body());
    assertEquals(jobId, job.getString("id"));
    assertEquals("echo", job.getString("command"));
    assertEquals("hello admin", job.getString("text"));
    assertEquals("quentin", job.getString("user_name"));
    assertEquals("town-square", job.getString("channel_name"));
    assertTrue(job.getLong("duration_ms") >= 0);
    assertTrue(job.getLong("finished_at") >= job.getLong("started_at"));
    assertFalse(job.containsKey("response_url"));
    assertFalse(r.body().contains(TOKEN));

    JsonObject listed = find(list("/api/jobs"), "id", jobId).orElseThrow();
    assertEquals("succeeded", listed.getString("state"));

    String path = responseUrl.substring(responseUrl.indexOf("/hooks/"));
    await("the reply", 10_000, () -> chat.postsTo(path).size() == 1);
    await("the reply to be listed as delivered", 10_000, () -> {
      try {
        return find(list("/api/deliveries?state=delivered"), "job_id", jobId).isPresent();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    JsonObject reply = find(list("/api/deliveries?state=delivered"), "job_id", jobId).orElseThrow();
    assertEquals("response_url@127.0.0.1", reply.getString("lane"));
    assertEquals("echo: hello admin", reply.getString("text"));
  }

  @Test
  void unknownJobIs404AndBadLimitsAre400() throws Exception {
    assertError(admin("/api/jobs/no-such-job"), 404, "not_found", "no job with id no-such-job");
    for (String limit : List.of("abc", "0", "-1", "501", "")) {
      assertError(admin("/api/jobs?limit=" + limit), 400, "bad_request", "limit must be an integer from 1 to 500");
      assertError(admin("/api/deliveries?state=dead&limit=" + limit), 400, "bad_request", "limit");
    }
    assertEquals(200, admin("/api/jobs?limit=500").statusCode());
    assertEquals(200, admin("/api/jobs?limit=1").statusCode());
  }

  // ---------------------------------------------------------------- deliveries

  @Test
  void rejectedMessageBecomesADeadLetterThatARetryDeliversOnceTheChatServerRecovers() throws Exception {
    chat.failFor(60_000, 403);
    try {
      assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\": \"disk full on vm-7\"}").statusCode());
      await("the dead letter", 10_000, () -> {
        try {
          return find(list("/api/deliveries?state=dead"), "text", "disk full on vm-7").isPresent();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    } finally {
      chat.failFor(0, 503);
    }
    JsonObject dead = find(list("/api/deliveries?state=dead"), "text", "disk full on vm-7").orElseThrow();
    assertEquals("ops", dead.getString("lane"));
    assertEquals("dead", dead.getString("state"));
    assertEquals("alerts", dead.getString("hook"));
    assertTrue(dead.getString("last_error").contains("HTTP 403"), dead.getString("last_error"));
    assertNull(dead.getValue("delivered_at"));
    long id = dead.getLong("id");

    HttpResponse<String> r = retry(id);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(new JsonObject().put("id", id).put("state", "pending"), new JsonObject(r.body()));

    await("the replayed post", 10_000,
        () -> chat.postsTo("/hooks/opsid").stream().anyMatch(p -> p.text().equals("disk full on vm-7")));
    await("the delivery to be listed as delivered", 10_000, () -> {
      try {
        return find(list("/api/deliveries?state=delivered"), "id", id).isPresent();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertTrue(find(list("/api/deliveries?state=dead"), "id", id).isEmpty());
    assertTrue(find(list("/api/deliveries?state=delivered"), "id", id).orElseThrow().getLong("delivered_at") > 0);
    // a delivered message is no dead letter: a second retry finds nothing
    assertError(retry(id), 404, "not_found", "no dead delivery with id " + id);
  }

  @Test
  void badDeliveryParametersAre400AndUnknownRetryIs404() throws Exception {
    for (String state : List.of("bogus", "", "dead%20", "all")) {
      assertError(admin("/api/deliveries?state=" + state), 400, "bad_request",
          "state must be one of pending, dead, delivered");
    }
    assertError(admin("/api/deliveries"), 400, "bad_request", "state must be one of pending, dead, delivered");
    assertEquals(200, admin("/api/deliveries?state=pending").statusCode());
    assertError(retry("abc"), 400, "bad_request", "delivery id must be a number");
    assertError(retry("99999999"), 404, "not_found", "no dead delivery with id 99999999");
    // GET on the retry route: the router's catch-all answers 404 (it never gets to 405)
    assertEquals(404, admin("/api/deliveries/1/retry").statusCode());
  }

  @Test
  void queuesShowTheBacklogPerDestination() throws Exception {
    // the digest hook holds its messages for an hour: they wait in the queue of destination slow
    assertEquals(200, gw.postJson("/hooks/" + DIGEST_KEY, "{\"text\": \"for the digest\"}").statusCode());
    JsonArray queues = list("/api/queues");
    JsonObject slow = find(queues, "lane", "slow").orElseThrow();
    assertTrue(slow.getLong("pending") >= 1, slow.encode());
    assertTrue(slow.getLong("oldest_age_ms") >= 0, slow.encode());
    JsonObject ops = find(queues, "lane", "ops").orElseThrow(); // configured, listed even when empty
    assertTrue(ops.getLong("pending") >= 0);
    JsonObject pending = find(list("/api/deliveries?state=pending"), "text", "for the digest").orElseThrow();
    assertEquals("slow", pending.getString("lane"));
    assertEquals("digest", pending.getString("hook"));
  }

  @Test
  void longTextsAreTruncatedInListings() throws Exception {
    String longText = "y".repeat(2000);
    assertEquals(200, gw.postJson("/hooks/" + DIGEST_KEY, new JsonObject().put("text", longText).encode()).statusCode());
    JsonArray pending = list("/api/deliveries?state=pending");
    boolean found = false;
    for (int i = 0; i < pending.size(); i++) {
      String text = pending.getJsonObject(i).getString("text");
      if (text.startsWith("yyyy")) {
        assertEquals("y".repeat(500) + "…", text);
        found = true;
      }
    }
    assertTrue(found, pending.encode());
  }

  // ---------------------------------------------------------------- page

  @Test
  void adminPageIsServedAsHtml() throws Exception {
    HttpResponse<String> r = gw.get("/admin/");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/html"));
    assertTrue(r.body().contains("id=\"dead\""));
    assertTrue(r.body().contains("id=\"delivered\""));
    assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
    assertEquals(200, gw.get("/admin/index.html").statusCode());
    HttpResponse<String> bare = gw.get("/admin");
    assertEquals(302, bare.statusCode());
    assertEquals("/admin/", bare.headers().firstValue("location").orElse(""));
    assertEquals(404, gw.get("/admin/missing.js").statusCode());
  }
}
