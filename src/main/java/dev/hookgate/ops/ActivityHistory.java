package dev.hookgate.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last hour per destination, minute by minute, in memory (for the admin page's charts): messages
 * accepted, delivered, retried and dead (sums), queue depth and oldest age in seconds (the highest
 * seen in the minute). Times are given by the caller; nothing here reads a clock.
 */
public final class ActivityHistory {
  /** What is kept per minute; the counts first, then the gauges. */
  public enum Series {
    ACCEPTED, DELIVERED, RETRIED, DEAD, QUEUE_DEPTH, OLDEST_AGE_SECONDS;

    boolean gauge() {
      return this == QUEUE_DEPTH || this == OLDEST_AGE_SECONDS;
    }

    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final int MINUTES = 60;

  private final Map<String, Ring> rings = new ConcurrentHashMap<>();

  /** Adds {@code n} to a count of the minute of {@code nowMs}. */
  public void count(String destination, Series series, double n, long nowMs) {
    ring(destination).add(series, n, nowMs);
  }

  /** Records a gauge reading; the minute keeps its highest. */
  public void gauge(String destination, Series series, double value, long nowMs) {
    ring(destination).add(series, value, nowMs);
  }

  /** Makes a destination appear (all zeros) before anything happened to it. */
  public void declare(String destination) {
    ring(destination);
  }

  /**
   * Per destination (sorted by name), per series, the {@value #MINUTES} minutes ending with the
   * minute of {@code nowMs}, oldest first; minutes with nothing recorded are 0.
   */
  public Map<String, Map<Series, double[]>> lastHour(long nowMs) {
    Map<String, Map<Series, double[]>> out = new TreeMap<>();
    rings.forEach((d, ring) -> out.put(d, ring.lastHour(nowMs / 60_000)));
    return out;
  }

  private Ring ring(String destination) {
    return rings.computeIfAbsent(destination, d -> new Ring());
  }

  /** One slot per minute of the hour, each tagged with the minute it holds. */
  private static final class Ring {
    private final long[] minuteOf = new long[MINUTES];
    private final double[][] values = new double[Series.values().length][MINUTES];

    Ring() {
      java.util.Arrays.fill(minuteOf, -1);
    }

    synchronized void add(Series s, double v, long nowMs) {
      long minute = nowMs / 60_000;
      int slot = (int) (minute % MINUTES);
      if (minuteOf[slot] != minute) {
        minuteOf[slot] = minute;
        for (double[] row : values) {
          row[slot] = 0;
        }
      }
      double[] row = values[s.ordinal()];
      row[slot] = s.gauge() ? Math.max(row[slot], v) : row[slot] + v;
    }

    synchronized Map<Series, double[]> lastHour(long nowMinute) {
      Map<Series, double[]> out = new LinkedHashMap<>();
      for (Series s : Series.values()) {
        double[] line = new double[MINUTES];
        for (int i = 0; i < MINUTES; i++) {
          long minute = nowMinute - (MINUTES - 1) + i;
          int slot = (int) Math.floorMod(minute, (long) MINUTES);
          line[i] = minute >= 0 && minuteOf[slot] == minute ? values[s.ordinal()][slot] : 0;
        }
        out.put(s, line);
      }
      return out;
    }
  }
}
