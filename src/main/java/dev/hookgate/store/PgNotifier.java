package dev.hookgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the NOTIFYs that wake the other nodes, after the commits that queued work, from a thread and
 * connection of its own, coalesced: what the writers committed while one NOTIFY was on its way goes
 * in the next one (the smallest new delivery id). A NOTIFY inside a write transaction would hold
 * PostgreSQL's one notification-queue lock through that transaction's commit (its WAL flush): every
 * transaction that notifies, of every node, would commit one at a time. A NOTIFY that fails is
 * dropped (the others' sweeps every second find the work) and the connection is reopened at the
 * next one.
 */
final class PgNotifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgNotifier.class);

  private final PostgresDialect dialect;
  private final Thread thread;
  /** Guarded by this. */
  private boolean jobs;
  private long firstDeliveryId;
  private boolean closed;
  /** The notifier thread only. */
  private Connection connection;
  private boolean failing;

  PgNotifier(PostgresDialect dialect) {
    this.dialect = dialect;
    this.thread = new Thread(this::run, "hookgate-store-notify");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** After a commit that queued jobs and/or deliveries (from this id on): the other nodes will be told. */
  synchronized void queued(boolean jobsQueued, long firstId) {
    if (closed || (!jobsQueued && firstId <= 0)) {
      return;
    }
    jobs |= jobsQueued;
    if (firstId > 0 && (firstDeliveryId == 0 || firstId < firstDeliveryId)) {
      firstDeliveryId = firstId;
    }
    notifyAll();
  }

  private void run() {
    while (true) {
      boolean j;
      long first;
      synchronized (this) {
        while (!closed && !jobs && firstDeliveryId == 0) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed && !jobs && firstDeliveryId == 0) {
          break;
        }
        j = jobs;
        first = firstDeliveryId;
        jobs = false;
        firstDeliveryId = 0;
      }
      send(j, first);
    }
    close(connection);
  }

  private void send(boolean j, long first) {
    try {
      if (connection == null) {
        connection = dialect.connectForListening(); // autocommit: each NOTIFY is its own transaction
      }
      try (PreparedStatement ps = connection.prepareStatement(dialect.notifySql(j, first))) {
        dialect.bindNotify(ps, j, first);
        ps.execute();
      }
      if (failing) {
        failing = false;
        LOG.info("PostgreSQL NOTIFY works again");
      }
    } catch (SQLException e) {
      if (!failing) {
        failing = true;
        LOG.warn("PostgreSQL NOTIFY failed ({}): the other nodes find this work at their next sweep", e.getMessage());
      }
      close(connection);
      connection = null;
    }
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }

  /** Sends what is pending, then stops. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
