package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** security.auth-failures-per-minute: 429 with Retry-After for an address that keeps failing to authenticate. */
class AuthThrottleE2ETest {
  static final String TOKEN = "throttle-token-0123456789";
  static final String KEY = "throttlehookkey012345678";
  static final String ADMIN = "throttle-admin-0123456789";
  TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.start("""
        store: {path: "${DB}"}
        security: {auth-failures-per-minute: 5}
        admin: {token: %s}
        response-url: {allowed-hosts: [team.example.org]}
        destinations:
          ops: {url: "http://127.0.0.1:9/hooks/x"}
        hooks:
          alerts: {key: %s, destination: ops}
        commands:
          echo:
            token: %s
            job: {template: "x"}
        """.formatted(ADMIN, KEY, TOKEN));
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  String validCommand() {
    return "token=" + TOKEN + "&user_id=u&channel_id=c&response_url=https%3A%2F%2Fteam.example.org%2Fhooks%2Fcommands%2Fabc";
  }

  @Test
  void everyKindOfFailureCountsThenTheAddressIsRefused() throws Exception {
    assertEquals(401, gw.postForm("/commands/echo", "token=wrong-token&user_id=u").statusCode());
    assertEquals(401, gw.postForm("/commands/echo", "user_id=u").statusCode());
    HttpResponse<String> badKey = gw.postJson("/hooks/unknownhookkey0123456789", "{\"text\":\"x\"}");
    assertEquals(400, badKey.statusCode());
    assertTrue(badKey.body().contains("Invalid webhook."));
    assertEquals(400, gw.postJson("/hooks/unknownhookkey0123456789", "{}").statusCode(), "body refused too");
    assertEquals(200, gw.postForm("/commands/echo", validCommand()).statusCode(), "4 failures: still served");
    assertEquals(401, gw.get("/api/jobs", "Authorization", "Bearer wrong").statusCode());

    HttpResponse<String> refused = gw.postForm("/commands/echo", validCommand());
    assertEquals(429, refused.statusCode());
    assertEquals("too_many_requests", new JsonObject(refused.body()).getString("error"));
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertEquals(429, gw.postJson("/hooks/" + KEY, "{\"text\":\"x\"}").statusCode());
    assertEquals(429, gw.get("/api/jobs", "Authorization", "Bearer " + ADMIN).statusCode());
    assertEquals(200, gw.get("/health").statusCode(), "health is not throttled");
  }

  @Test
  void successesAndOtherErrorsDoNotCount() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertEquals(200, gw.postForm("/commands/echo", validCommand()).statusCode());
      assertEquals(404, gw.postForm("/commands/nope", validCommand()).statusCode());
      assertEquals(400, gw.postJson("/hooks/" + KEY, "{}").statusCode());
      assertEquals(200, gw.get("/api/queues", "Authorization", "Bearer " + ADMIN).statusCode());
    }
  }
}
