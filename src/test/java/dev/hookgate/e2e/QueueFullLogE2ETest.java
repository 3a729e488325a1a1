package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A burst of a command whose queue is full: every request is answered "busy" and counted, but the log
 * gets at most 5 lines a minute for the command (per HTTP event loop), the next one saying how many
 * were not logged.
 */
class QueueFullLogE2ETest {
  static final String TOKEN = "queuefulltoken0123456789";

  @Test
  void aBurstOfRefusalsIsAFewLinesNotALinePerRequest() throws Exception {
    try (LogCapture log = new LogCapture("dev.hookgate.http.CommandHandler"); TestGateway gw = TestGateway.start("""
        store: {path: "${DB}"}
        response-url: {allowed-hosts: ["http://127.0.0.1:9"]}
        shutdown: {grace: 1s}
        commands:
          busy: {token: %s, job: {exec: [sleep, "30"], timeout: 60s}, concurrency: 1, max-queued: 1}
        """.formatted(TOKEN))) {
      String form = "token=" + TOKEN + "&text=x&user_id=u&channel_id=c&response_url="
          + java.net.URLEncoder.encode("http://127.0.0.1:9/hooks/commands/abc", java.nio.charset.StandardCharsets.UTF_8);
      int busy = 0;
      for (int i = 0; i < 20; i++) {
        var r = gw.postForm("/commands/busy", form);
        assertEquals(200, r.statusCode());
        if (r.body().contains("is busy")) {
          busy++;
        }
      }
      assertTrue(busy >= 15, busy + " busy answers");
      List<String> lines = log.lines().stream().filter(l -> l.contains("jobs already queued")).toList();
      // 5 a minute per HTTP event loop (each has its own count; at most 2 of them)
      assertTrue(lines.size() >= 1 && lines.size() <= 10 && lines.size() < busy, lines.size() + " lines: " + lines);
    }
  }
}
