package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.hookgate.protocol.SlackSignature;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A whole scenario with known secrets — command token, Slack signing secret, hook key, response_url
 * ids, the destination's hook id, the admin token — succeeding and failing in every way the gateway
 * logs about; none of them may appear in anything logged, in any answer, or in /metrics.
 */
class SecretsInLogsE2ETest {
  static final String TOKEN = "tok3nSecretValue0123456789";
  static final String SIGNING = "s1gningSecretValue0123456789abcd";
  static final String KEY = "h00kKeySecretValue0123456789";
  static final String ADMIN = "adm1nSecretValue0123456789";
  static final String DEST_ID = "destHookIdSecret0123456789";

  @Test
  void noSecretIsEverPrinted() throws Exception {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    captured.start();
    root.addAppender(captured);
    List<String> answers = new ArrayList<>();
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("command token", TOKEN);
    secrets.put("signing secret", SIGNING);
    secrets.put("hook key", KEY);
    secrets.put("admin token", ADMIN);
    secrets.put("destination hook id", DEST_ID);
    try (FakeChatServer chat = FakeChatServer.start()) {
      TestGateway gw = TestGateway.start("""
          store: {path: "${DB}"}
          http: {request-timeout: 1s, max-body-bytes: 2048}
          admin: {token: %1$s}
          response-url: {allowed-hosts: ["http://127.0.0.1:%2$d"]}
          delivery: {backoff: [50ms], max-attempts: 2}
          destinations:
            ops: {url: "%3$s", rate-per-second: 100, burst: 100}
          hooks:
            alerts: {key: %4$s, destination: ops}
          commands:
            echo:
              token: %5$s
              job: {template: "echo {{text}}"}
              reply: {fallback: ops}
            slack:
              slack-signing-secret: %6$s
              job: {template: "slack {{text}}"}
          """.formatted(ADMIN, chat.port(), chat.incomingHookUrl(DEST_ID), KEY, TOKEN, SIGNING));
      try {
        String live = chat.issueResponseUrl();
        String expired = chat.issueResponseUrl();
        chat.expire(expired);
        String unknown = chat.base() + "/hooks/commands/unknownResponseUrlId0123456";
        String disallowed = "https://evil.example.com/hooks/commands/disallowedResponseUrlId01";
        for (String url : List.of(live, expired, unknown, disallowed)) {
          secrets.put("response_url id " + url, url.substring(url.lastIndexOf('/') + 1));
        }
        // commands: token in the form, in the header, in a GET query; wrong tokens; every response_url
        for (String url : List.of(live, expired, unknown, disallowed)) {
          answers.add(gw.postForm("/commands/echo", form(url) + "&token=" + TOKEN).body());
        }
        answers.add(gw.postForm("/commands/echo", form(live), "Authorization", "Token " + TOKEN).body());
        answers.add(gw.get("/commands/echo?" + form(live) + "&token=" + TOKEN).body());
        answers.add(gw.postForm("/commands/echo", form(live) + "&token=" + TOKEN + "x").body());
        answers.add(gw.postForm("/commands/echo", form(live), "Authorization", "Token " + TOKEN.substring(1)).body());
        answers.add(gw.postForm("/commands/nope", form(live) + "&token=" + TOKEN).body());
        // Slack: signed, badly signed, stale
        String body = form(live);
        long ts = System.currentTimeMillis() / 1000;
        for (long t : List.of(ts, ts - 3600)) {
          answers.add(gw.postForm("/commands/slack", body, SlackSignature.TIMESTAMP_HEADER, String.valueOf(t),
              SlackSignature.SIGNATURE_HEADER, SlackSignature.sign(SIGNING, String.valueOf(t),
                  body.getBytes(StandardCharsets.UTF_8))).body());
        }
        answers.add(gw.postForm("/commands/slack", body, SlackSignature.TIMESTAMP_HEADER, String.valueOf(ts),
            SlackSignature.SIGNATURE_HEADER, "v0=" + "0".repeat(64)).body());
        // hooks: valid, repeated, unknown key, broken body, too large, trickled until the timeout
        answers.add(gw.postJson("/hooks/" + KEY, "{\"text\":\"hello\"}", "Idempotency-Key", "k1").body());
        answers.add(gw.postJson("/hooks/" + KEY, "{\"text\":\"hello\"}", "Idempotency-Key", "k1").body());
        answers.add(gw.postJson("/hooks/" + KEY + "x", "{\"text\":\"hello\"}").body());
        answers.add(gw.postJson("/hooks/" + KEY, "{\"text\":").body());
        answers.add(gw.postJson("/hooks/" + KEY, "{\"text\":\"" + "x".repeat(5000) + "\"}").body());
        answers.add(gw.postJson("/hooks/" + KEY + "/extra", "{}").body());
        answers.add(gw.get("/hooks/" + KEY).body());
        try (Socket s = new Socket("127.0.0.1", gw.gateway().port())) {
          OutputStream out = s.getOutputStream();
          out.write(("POST /hooks/" + KEY + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: 50\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          answers.add(LimitsE2ETest.readAll(s, 5000));
        }
        // admin: right and wrong tokens, every listing
        answers.add(gw.get("/api/jobs", "Authorization", "Bearer " + ADMIN).body());
        answers.add(gw.get("/api/jobs", "Authorization", "Bearer " + ADMIN + "x").body());
        answers.add(gw.get("/api/jobs", "Authorization", "Bearer " + ADMIN.substring(0, 10)).body());
        await("the replies and the relayed hook", 10_000, () -> chat.postsTo("/hooks/commands/").size() >= 3
            && chat.postsTo("/hooks/" + DEST_ID).size() >= 2);
        for (String state : List.of("pending", "dead", "delivered")) {
          answers.add(gw.get("/api/deliveries?state=" + state, "Authorization", "Bearer " + ADMIN).body());
        }
        answers.add(gw.get("/api/queues", "Authorization", "Bearer " + ADMIN).body());
        HttpResponse<String> metrics = gw.get("/metrics");
        assertEquals(200, metrics.statusCode());
        answers.add(metrics.body());
      } finally {
        gw.close();
      }
    } finally {
      root.detachAppender(captured);
    }
    StringBuilder logged = new StringBuilder();
    for (ILoggingEvent e : captured.list) {
      logged.append(e.getLoggerName()).append(' ').append(e.getFormattedMessage()).append('\n');
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        logged.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
        for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
          logged.append(s.getSTEAsString()).append('\n');
        }
      }
    }
    assertTrue(captured.list.size() > 10, "the scenario logged: " + logged);
    assertTrue(logged.toString().contains("/hooks/h00k…"), "the trickled hook is logged, masked:\n" + logged);
    String all = String.join("\n", answers);
    secrets.forEach((what, secret) -> {
      assertFalse(logged.toString().contains(secret), what + " was logged:\n" + logged);
      assertFalse(all.contains(secret), what + " was in an answer or in /metrics");
    });
  }

  static String form(String responseUrl) {
    return "user_id=u1&channel_id=c1&user_name=ann&command=%2Fecho&text=hi&response_url="
        + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8);
  }
}
