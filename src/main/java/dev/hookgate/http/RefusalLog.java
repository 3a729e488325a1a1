package dev.hookgate.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Decides which refusals make a log line: every refusal of a producer (a hook's name, or an unknown
 * key masked; a command's name, a command whose queue is full) is logged, up to {@link #LINES_PER_MINUTE}
 * a minute; the rest are counted and
 * reported by the producer's next line, so a misconfigured producer is visible without a flood of
 * lines. At most {@link #MAX_PRODUCERS} producers are remembered (the least recent forgotten first).
 * Pure and not thread-safe: one per event loop.
 */
final class RefusalLog {
  static final int LINES_PER_MINUTE = 5;
  static final int MAX_PRODUCERS = 1000;
  private static final long WINDOW_MS = 60_000;

  private static final class Window {
    long start;
    int lines;
    long suppressed;
  }

  private final LongSupplier clock;
  private final String subject;
  private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
      return size() > MAX_PRODUCERS;
    }
  };

  /** The relay's: "relay refused a post to hook alerts: 400 ...". */
  RefusalLog(LongSupplier clock) {
    this(clock, "relay refused a post to ");
  }

  /** Lines that start with {@code subject}, then the producer. */
  RefusalLog(LongSupplier clock, String subject) {
    this.clock = clock;
    this.subject = subject;
  }

  /** The line to log for this refusal, or empty when the producer has had its lines this minute. */
  Optional<String> line(String producer, int status, String reason) {
    return limited(producer, subject + producer + ": " + status + " " + reason);
  }

  /** {@code line}, or empty when the producer has had its lines this minute; the next line counts what was not logged. */
  Optional<String> limited(String producer, String line) {
    long now = clock.getAsLong();
    Window w = windows.computeIfAbsent(producer, p -> new Window());
    long carried = 0;
    if (w.lines == 0 || now - w.start >= WINDOW_MS) {
      carried = w.suppressed;
      w.start = now;
      w.lines = 0;
      w.suppressed = 0;
    }
    if (w.lines >= LINES_PER_MINUTE) {
      w.suppressed++;
      return Optional.empty();
    }
    w.lines++;
    return Optional.of(carried == 0 ? line : line + " (" + carried + " more refusals of it were not logged)");
  }
}
