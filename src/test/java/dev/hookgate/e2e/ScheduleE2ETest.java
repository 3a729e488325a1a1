package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Schedules with an injected clock: a cron fires its job and the destination receives the report. */
class ScheduleE2ETest {

  static String config(FakeChatServer chat) {
    return """
        store: {path: "${DB}"}
        destinations:
          ops: {url: "%s"}
        schedules:
          daily:
            cron: "0 9 * * *"
            timezone: UTC
            job: {template: "Daily report for {{fired_at}}"}
            destination: ops
            reply: {username: reporter}
        """.formatted(chat.incomingHookUrl("opsid"));
  }

  /** A clock that starts at {@code start} and runs at real speed. */
  static Clock clockAt(String start) {
    return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Instant.parse(start)));
  }

  @Test
  void cronFiresTheJobAndTheDestinationReceivesItsReport() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      Path dir = Files.createTempDirectory("hookgate-schedule");
      // 10 s before 09:00: the gateway must be up by then (the first one in a JVM, on a loaded machine,
      // can take several seconds); a run missed at start is not made up, so this must not be tight
      try (TestGateway gw = TestGateway.start(config(chat), dir, clockAt("2026-01-01T08:59:50Z"))) {
        await("the 09:00 report", 30_000, () -> chat.posts().size() == 1);
        assertEquals("Daily report for 2026-01-01T09:00:00Z", chat.posts().get(0).text());
        assertEquals("reporter", chat.posts().get(0).body().getString("username"));
      }
    }
  }

  @Test
  void missedRunsAreMadeUpOnceNotInABurst() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      Path dir = Files.createTempDirectory("hookgate-schedule");
      try (TestGateway gw = TestGateway.start(config(chat), dir, clockAt("2026-01-01T08:59:59.300Z"))) {
        await("the first report", 10_000, () -> chat.posts().size() == 1);
      }
      // stopped four days: four 09:00 runs were missed; catch-up (default 1) makes up the latest only
      try (TestGateway gw = TestGateway.start(config(chat), dir, clockAt("2026-01-05T10:00:00Z"))) {
        await("the catch-up report", 10_000, () -> chat.posts().size() == 2);
        Thread.sleep(1500); // nothing more may come: it would have been queued with the catch-up
        List<String> texts = chat.posts().stream().map(FakeChatServer.Post::text).toList();
        assertEquals(List.of("Daily report for 2026-01-01T09:00:00Z", "Daily report for 2026-01-05T09:00:00Z"), texts);
      }
    }
  }
}
