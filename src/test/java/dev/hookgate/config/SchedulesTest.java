package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cronutils.model.time.ExecutionTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Missed runs found backward from now match a forward scan, whatever the gap and the zone. */
class SchedulesTest {
  /** The plain definition: every run after last up to now, forward, the latest {@code max} kept. */
  static List<Long> forward(ExecutionTime time, ZoneId zone, long last, long now, int max) {
    Deque<Long> kept = new ArrayDeque<>();
    Optional<Long> t = Schedules.next(time, zone, last);
    while (t.isPresent() && t.get() <= now) {
      kept.addLast(t.get());
      if (kept.size() > max) {
        kept.removeFirst();
      }
      t = Schedules.next(time, zone, t.get());
    }
    return List.copyOf(kept);
  }

  @Test
  void missedRunsAreTheLatestOnesUpToNowInOrder() {
    Random random = new Random(42);
    long base = Instant.parse("2026-03-20T00:00:00Z").toEpochMilli(); // across the March DST change in Paris
    for (String cron : List.of("* * * * *", "0 9 * * MON-FRI", "30 2 * * *", "*/15 8-18 * * *", "0 0 1 * *")) {
      for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneId.of("Europe/Paris"))) {
        ExecutionTime time = Schedules.executionTime(cron);
        for (int i = 0; i < 10; i++) {
          long last = base + random.nextLong(20L * 86_400_000);
          // gaps of a few hundred runs at most: the forward reference costs one step per run
          long days = switch (cron) {
            case "* * * * *" -> 0; // a quarter of a day, below
            case "0 0 1 * *" -> 120;
            default -> 6;
          };
          long now = last + random.nextLong(days == 0 ? 21_600_000 : days * 86_400_000);
          int max = 1 + random.nextInt(4);
          assertEquals(forward(time, zone, last, now, max), Schedules.missed(time, zone, last, now, max),
              cron + " " + zone + " last=" + Instant.ofEpochMilli(last) + " now=" + Instant.ofEpochMilli(now));
        }
      }
    }
  }

  @Test
  void aRunExactlyAtNowCountsAndOneAtLastDoesNot() {
    ExecutionTime time = Schedules.executionTime("0 9 * * *");
    long nine = Instant.parse("2026-01-05T09:00:00Z").toEpochMilli();
    long nineDayBefore = nine - 86_400_000;
    assertEquals(List.of(nine), Schedules.missed(time, ZoneOffset.UTC, nineDayBefore, nine, 5));
    assertEquals(List.of(), Schedules.missed(time, ZoneOffset.UTC, nine, nine + 1000, 5));
  }

  @Test
  void aSeventyDayStopOfAOnceAMinuteScheduleTakesOnlyCatchUpSteps() {
    long last = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    long now = last + 70L * 86_400_000 + 30_000;
    assertEquals(List.of(now - 30_000 - 60_000, now - 30_000),
        Schedules.missed(Schedules.executionTime("* * * * *"), ZoneOffset.UTC, last, now, 2));
  }
}
