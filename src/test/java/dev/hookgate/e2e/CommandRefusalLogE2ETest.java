package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slash commands refused before any job (a missing field, a wrong content type, a URL that names no
 * command) leave one WARN line each, naming the command and what was wrong, at most 5 a minute per
 * command, never with the request's token; the next line after a quiet minute says how many were not
 * logged (RefusalLogTest covers that count).
 */
class CommandRefusalLogE2ETest {
  static final String TOKEN = "refusaltoken0123456789ab";

  @Test
  void refusedCommandsAreLoggedOncePerRefusalRateLimitedWithoutTheToken() throws Exception {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    Logger log = (Logger) org.slf4j.LoggerFactory.getLogger("dev.hookgate.http.CommandRefusals");
    captured.start();
    log.addAppender(captured);
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start("""
        store: {path: "${DB}"}
        response-url: {allowed-hosts: ["http://127.0.0.1:%d"]}
        commands:
          echo: {token: %s, job: {template: "echo {{text}}"}}
        """.formatted(chat.port(), TOKEN))) {
      java.net.http.HttpResponse<String> missing = gw.postForm("/commands/echo", "token=" + TOKEN + "&text=hi&channel_id=c");
      assertEquals(400, missing.statusCode(), missing.body());
      assertEquals(415, gw.post("/commands/echo", "application/json", ("{\"token\":\"" + TOKEN + "\"}").getBytes())
          .statusCode());
      assertEquals(404, gw.postForm("/commands/nosuch%0Aforged", "token=" + TOKEN).statusCode());
      await("three lines", 5_000, () -> captured.list.size() == 3);
      List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertTrue(lines.get(0).startsWith("refused command /echo: 400 ") && lines.get(0).contains(missing.body()
          .replaceAll(".*\"message\":\"([^\"]*)\".*", "$1")), lines.get(0));
      assertTrue(lines.get(1).startsWith("refused command /echo: 415 "), lines.get(1));
      assertTrue(lines.get(2).startsWith("refused a command at an unknown URL: 404 no command is configured at this URL"),
          lines.get(2));
      assertTrue(lines.stream().noneMatch(l -> l.contains(TOKEN) || l.contains("\n")), lines.toString());

      for (int i = 0; i < 10; i++) {
        assertEquals(400, gw.postForm("/commands/echo", "token=" + TOKEN + "&text=flood").statusCode());
      }
      assertEquals(404, gw.postForm("/commands/nosuch", "token=" + TOKEN).statusCode());
      // /echo: its 2 lines above and 3 of the flood; the unknown URL: a second line
      await("the unknown command's second line", 5_000, () -> captured.list.size() == 3 + 3 + 1);
      long echoLines = captured.list.stream().filter(e -> e.getFormattedMessage().startsWith("refused command /echo:"))
          .count();
      assertEquals(5, echoLines, "5 lines a minute for /echo, the flood's other 7 counted, not logged");
      assertEquals("WARN", captured.list.get(0).getLevel().toString());
    } finally {
      log.detachAppender(captured);
    }
  }
}
