package dev.hookgate.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hookgate.ops.ActivityHistory.Series;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivityHistoryTest {
  static final long MINUTE = 60_000;
  static final long T0 = 1_000 * MINUTE; // a minute boundary

  static double[] line(ActivityHistory h, String d, Series s, long now) {
    return h.lastHour(now).get(d).get(s);
  }

  @Test
  void countsAddUpPerMinuteOldestFirst() {
    ActivityHistory h = new ActivityHistory();
    h.count("ops", Series.ACCEPTED, 2, T0 + 5_000);
    h.count("ops", Series.ACCEPTED, 3, T0 + 59_999);
    h.count("ops", Series.ACCEPTED, 1, T0 + MINUTE);
    double[] accepted = line(h, "ops", Series.ACCEPTED, T0 + MINUTE + 1);
    assertEquals(60, accepted.length);
    assertEquals(1, accepted[59], "this minute");
    assertEquals(5, accepted[58], "the minute before");
    assertEquals(6, java.util.Arrays.stream(accepted).sum());
  }

  @Test
  void gaugesKeepTheHighestOfTheMinute() {
    ActivityHistory h = new ActivityHistory();
    h.gauge("ops", Series.QUEUE_DEPTH, 7, T0);
    h.gauge("ops", Series.QUEUE_DEPTH, 3, T0 + 10_000);
    assertEquals(7, line(h, "ops", Series.QUEUE_DEPTH, T0 + 20_000)[59]);
  }

  @Test
  void minutesOlderThanAnHourAreForgottenAndAReusedSlotStartsFromZero() {
    ActivityHistory h = new ActivityHistory();
    h.count("ops", Series.DEAD, 4, T0);
    assertEquals(4, line(h, "ops", Series.DEAD, T0 + 59 * MINUTE)[0], "59 minutes later: the oldest point");
    assertEquals(0, java.util.Arrays.stream(line(h, "ops", Series.DEAD, T0 + 60 * MINUTE)).sum(), "an hour later: gone");
    h.count("ops", Series.DELIVERED, 1, T0 + 60 * MINUTE); // the same slot as T0
    double[] dead = line(h, "ops", Series.DEAD, T0 + 60 * MINUTE);
    assertArrayEquals(new double[60], dead);
    assertEquals(1, line(h, "ops", Series.DELIVERED, T0 + 60 * MINUTE)[59]);
  }

  @Test
  void aDeclaredDestinationIsAllZerosAndSorted() {
    ActivityHistory h = new ActivityHistory();
    h.declare("zeta");
    h.count("alpha", Series.RETRIED, 1, T0);
    Map<String, Map<Series, double[]>> all = h.lastHour(T0);
    assertEquals(java.util.List.of("alpha", "zeta"), java.util.List.copyOf(all.keySet()));
    assertArrayEquals(new double[60], all.get("zeta").get(Series.ACCEPTED));
  }
}
