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

  static HttpResponse<String> assertThrottled(HttpResponse<String> r) {
    assertEquals(429, r.statusCode(), r.body());
    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
    return r;
  }

  @Test
  void everyKindOfFailureCountsThenTheAddressesFailingRequestsAreRefused() throws Exception {
    assertEquals(401, gw.postForm("/commands/echo", "token=wrong-token&user_id=u").statusCode());
    assertEquals(401, gw.postForm("/commands/echo", "user_id=u").statusCode());
    HttpResponse<String> badKey = gw.postJson("/hooks/unknownhookkey0123456789", "{\"text\":\"x\"}");
    assertEquals(400, badKey.statusCode());
    assertTrue(badKey.body().contains("Invalid webhook."));
    assertEquals(400, gw.postJson("/hooks/unknownhookkey0123456789", "{}").statusCode(), "body refused too");
    assertEquals(401, gw.get("/api/jobs", "Authorization", "Bearer wrong").statusCode(), "the fifth failure");

    HttpResponse<String> refused = assertThrottled(gw.postForm("/commands/echo", "token=wrong-token&user_id=u"));
    assertEquals("too_many_requests", new JsonObject(refused.body()).getString("error"));
    HttpResponse<String> relayRefused = assertThrottled(gw.postJson("/hooks/unknownhookkey0123456789", "{\"text\":\"x\"}"));
    assertEquals(429, new JsonObject(relayRefused.body()).getInteger("status_code"), "the relay's error shape");
    assertThrottled(gw.get("/api/jobs", "Authorization", "Bearer wrong"));
    assertThrottled(gw.get("/api/jobs"));
    assertEquals(200, gw.get("/health").statusCode(), "health is not throttled");
  }

  @Test
  void validCredentialsAreServedBesideAnAttackerOnTheSameAddress() throws Exception {
    // the attacker and the chat server share 127.0.0.1; the attacker keeps failing all along
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 6; i++) {
        int status = gw.postForm("/commands/echo", "token=guessed-" + round + i + "&user_id=u").statusCode();
        assertTrue(status == 401 || status == 429, "attacker: " + status);
        status = gw.postJson("/hooks/guessedhookkey" + round + i + "0123456789", "{\"text\":\"x\"}").statusCode();
        assertTrue(status == 400 || status == 429, "attacker on the relay: " + status);
      }
      assertThrottled(gw.postForm("/commands/echo", "token=one-more-guess&user_id=u"));
      assertEquals(200, gw.postForm("/commands/echo", validCommand()).statusCode(), "the chat server's command");
      assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"x\"}").statusCode(), "a producer's post");
      assertEquals(200, gw.get("/api/queues", "Authorization", "Bearer " + ADMIN).statusCode(), "the admin");
    }
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
