package dev.hookgate.store;

import org.slf4j.Logger;

/**
 * While the store refuses writes, one line at once and then a summary every ten seconds, rather
 * than a line per request (a flood against a full disk would otherwise write tens of thousands of
 * lines, to the same full disk). One line when writes succeed again. Writer thread only, but for
 * {@link #refused} (submitters): synchronized.
 */
final class FailureLog {
  private static final long SUMMARY_EVERY_MS = 10_000;

  private final Logger log;
  private boolean failing;
  private long failedOps;
  private long lastLine;
  private String lastReason;

  FailureLog(Logger log) {
    this.log = log;
  }

  synchronized void failed(int operations, String reason) {
    long now = System.currentTimeMillis();
    failedOps += operations;
    lastReason = reason;
    if (!failing) {
      failing = true;
      lastLine = now;
      log.error("store refuses writes: {} (the requests get 503; nothing of them is stored)", reason);
      failedOps = 0;
    } else if (now - lastLine >= SUMMARY_EVERY_MS) {
      log.error("store still refuses writes: {} operation(s) failed in the last {} s; last: {}", failedOps,
          (now - lastLine) / 1000, lastReason);
      lastLine = now;
      failedOps = 0;
    }
  }

  synchronized void refused(String reason) {
    failed(1, reason);
  }

  synchronized void recovered() {
    if (failing) {
      failing = false;
      log.info("store accepts writes again ({} operation(s) failed since the last report)", failedOps);
      failedOps = 0;
    }
  }
}
