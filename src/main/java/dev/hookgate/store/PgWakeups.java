package dev.hookgate.store;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups across nodes: one thread with its own connection LISTENs on the job and delivery
 * channels and republishes what it hears on the local event bus, where the dispatcher and the
 * delivery engine already listen: another node's work wakes them at its commit. A lost connection
 * is reopened with backoff; on every (re)connect both are woken for a full look (what was notified
 * meanwhile was lost). The sweeps every second stay as the safety net.
 */
final class PgWakeups implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgWakeups.class);
  private static final long BACKOFF_MIN_MS = 250;
  private static final long BACKOFF_MAX_MS = 10_000;
  private static final int POLL_MS = 500;

  private final Wakeups wakeups;
  private final PostgresDialect dialect;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;

  private PgWakeups(Vertx vertx, PostgresDialect dialect) {
    this.wakeups = new Wakeups(vertx);
    this.dialect = dialect;
    this.thread = new Thread(this::run, "hookgate-store-listen");
    this.thread.setDaemon(true);
  }

  static PgWakeups start(Vertx vertx, PostgresDialect dialect) {
    PgWakeups w = new PgWakeups(vertx, dialect);
    w.thread.start();
    return w;
  }

  private void run() {
    long backoff = BACKOFF_MIN_MS;
    while (!closed) {
      try (Connection c = dialect.connectForListening()) {
        connection = c;
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + PostgresDialect.JOBS_CHANNEL + "; LISTEN " + PostgresDialect.DELIVERIES_CHANNEL);
        }
        backoff = BACKOFF_MIN_MS;
        wakeups.jobsQueued();
        wakeups.deliveriesQueued(0);
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(POLL_MS);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              wake(n.getName(), n.getParameter());
            }
          }
        }
      } catch (SQLException e) {
        if (closed) {
          return;
        }
        LOG.warn("PostgreSQL LISTEN connection failed ({}): retrying in {} ms", e.getMessage(), backoff);
        try {
          Thread.sleep(backoff); // this thread's own pace; no event loop waits for it
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
      } finally {
        connection = null;
      }
    }
  }

  private void wake(String channel, String payload) {
    if (closed) {
      return;
    }
    if (PostgresDialect.JOBS_CHANNEL.equals(channel)) {
      wakeups.jobsQueued();
    } else if (PostgresDialect.DELIVERIES_CHANNEL.equals(channel)) {
      long firstId = 0;
      try {
        firstId = Long.parseLong(payload);
      } catch (NumberFormatException e) {
        // a payload we did not write: look from the start
      }
      wakeups.deliveriesQueued(firstId);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }
}
