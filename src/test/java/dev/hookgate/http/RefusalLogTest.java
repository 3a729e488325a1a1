package dev.hookgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final RefusalLog log = new RefusalLog(now::get);

  @Test
  void eachRefusalIsALineUpToTheLimitThenTheRestAreCountedInTheNextMinutesFirstLine() {
    for (int i = 0; i < RefusalLog.LINES_PER_MINUTE; i++) {
      assertEquals(Optional.of("relay refused a post to hook alerts: 400 No text specified."),
          log.line("hook alerts", 400, "No text specified."));
    }
    for (int i = 0; i < 7; i++) {
      assertEquals(Optional.empty(), log.line("hook alerts", 400, "No text specified."));
    }
    assertEquals(Optional.of("relay refused a post to key abcd…: 400 Invalid webhook."),
        log.line("key abcd…", 400, "Invalid webhook."), "another producer has its own lines");
    now.addAndGet(59_999);
    assertEquals(Optional.empty(), log.line("hook alerts", 413, "too large"));
    now.addAndGet(1);
    assertEquals(Optional.of("relay refused a post to hook alerts: 413 too large (8 more refusals of it were not logged)"),
        log.line("hook alerts", 413, "too large"));
    assertEquals(Optional.of("relay refused a post to hook alerts: 400 x"), log.line("hook alerts", 400, "x"));
  }

  @Test
  void aFloodOfUnknownKeysIsRememberedBoundedly() {
    for (int i = 0; i <= RefusalLog.LINES_PER_MINUTE; i++) {
      log.line("key 0", 400, "Invalid webhook.");
    }
    assertEquals(Optional.empty(), log.line("key 0", 400, "Invalid webhook."), "key 0 has had its lines");
    for (int i = 1; i <= RefusalLog.MAX_PRODUCERS; i++) {
      log.line("key " + i, 400, "Invalid webhook.");
    }
    assertEquals(Optional.of("relay refused a post to key 0: 400 Invalid webhook."),
        log.line("key 0", 400, "Invalid webhook."), "the least recent producer was forgotten: logged again, within the minute");
  }
}
