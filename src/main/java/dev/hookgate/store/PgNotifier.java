package dev.hookgate.store;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other nodes that work was queued, at most once every few milliseconds and outside the
 * queuing transaction: PostgreSQL commits transactions that NOTIFY one at a time (they hold a lock
 * through their WAL flush), so a NOTIFY in every insert would stop group commit. Ids committed
 * since the last flush are summed up by the smallest one; a lost notification is caught by the
 * sweep every second.
 */
final class PgNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(PgNotifier.class);
  private static final long DEBOUNCE_MS = 5;

  private final Vertx vertx;
  private final Supplier<Pool> pool;
  private boolean jobs;
  private long firstDelivery = Long.MAX_VALUE;
  private boolean scheduled;

  PgNotifier(Vertx vertx, Supplier<Pool> pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  synchronized void jobsQueued() {
    jobs = true;
    schedule();
  }

  synchronized void deliveriesQueued(Long firstId) {
    if (firstId != null) {
      firstDelivery = Math.min(firstDelivery, firstId);
      schedule();
    }
  }

  private void schedule() {
    if (!scheduled) {
      scheduled = true;
      vertx.setTimer(DEBOUNCE_MS, t -> flush());
    }
  }

  private void flush() {
    boolean j;
    long d;
    synchronized (this) {
      j = jobs;
      d = firstDelivery;
      jobs = false;
      firstDelivery = Long.MAX_VALUE;
      scheduled = false;
    }
    StringBuilder sql = new StringBuilder("SELECT 1");
    if (j) {
      sql.append(", pg_notify('").append(PgStore.JOBS_CHANNEL).append("', '')");
    }
    if (d != Long.MAX_VALUE) {
      sql.append(", pg_notify('").append(PgStore.DELIVERIES_CHANNEL).append("', '").append(d).append("')");
    }
    Pool p = pool.get();
    if (p != null) {
      p.query(sql.toString()).execute().onFailure(e -> LOG.warn("notifying the other nodes failed: {}", e.getMessage()));
    }
  }
}
