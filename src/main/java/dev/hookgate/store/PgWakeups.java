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
 * meanwhile was lost). The sweeps every second stay as the safety net. A notification names the
 * node that sent it; this node's own are ignored (it wakes itself locally, at once).
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
    Wakeup w = Wakeup.parse(channel, payload);
    if (w == null || w.node().equals(dialect.nodeId())) {
      return; // not ours to hear, or this node's own commit: it woke itself locally already
    }
    if (w.jobs()) {
      wakeups.jobsQueued();
    } else {
      wakeups.deliveriesQueued(w.firstId());
    }
  }

  /**
   * One notification as {@link PgNotifier} sends it: on the jobs channel the
   * node's id, on the deliveries channel {@code <first id> <node id>}. A payload without a node
   * (an older node) wakes, a delivery id that does not parse looks from the start (0).
   */
  record Wakeup(boolean jobs, long firstId, String node) {
    static Wakeup parse(String channel, String payload) {
      String p = payload == null ? "" : payload;
      if (PostgresDialect.JOBS_CHANNEL.equals(channel)) {
        return new Wakeup(true, 0, p);
      }
      if (!PostgresDialect.DELIVERIES_CHANNEL.equals(channel)) {
        return null;
      }
      int space = p.indexOf(' ');
      String id = space < 0 ? p : p.substring(0, space);
      long firstId = 0;
      try {
        firstId = Long.parseLong(id);
      } catch (NumberFormatException e) {
        // a payload we did not write: look from the start
      }
      return new Wakeup(false, firstId, space < 0 ? "" : p.substring(space + 1));
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
