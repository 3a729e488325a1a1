package dev.hookgate.job;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Throttles a job's {@code ::progress} lines into interim updates: at most {@code maxUpdates}
 * (so that the response_url keeps uses for the result) and at most one per {@code minIntervalMs};
 * lines in between are dropped. Thread-safe: lines arrive on the job's output reader.
 */
final class ProgressReporter implements Consumer<String> {
  private final int maxUpdates;
  private final long minIntervalMs;
  private final LongSupplier clock;
  private final Consumer<String> send;
  private int sent;
  private long last = Long.MIN_VALUE / 2;

  ProgressReporter(int maxUpdates, long minIntervalMs, LongSupplier clock, Consumer<String> send) {
    this.maxUpdates = maxUpdates;
    this.minIntervalMs = minIntervalMs;
    this.clock = clock;
    this.send = send;
  }

  @Override
  public synchronized void accept(String text) {
    long now = clock.getAsLong();
    if (text.isEmpty() || sent >= maxUpdates || now - last < minIntervalMs) {
      return;
    }
    sent++;
    last = now;
    send.accept(text);
  }
}
