package dev.hookgate.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The least durability costs, for the benchmark's baselines: one SQLite file (WAL,
 * {@code synchronous=FULL}), one writer thread that drains whatever is waiting into one transaction
 * (group commit: one fsync for the whole batch), futures completed on the caller's context.
 * Two operations: insert a message (before an answer), mark it delivered (after the delivery).
 */
final class GroupCommitWriter {
  private static final int MAX_BATCH = 1000;

  /** {@code payload == null}: mark {@code id} delivered; otherwise insert it. */
  private record Op(long id, String payload, Promise<Void> done, Context context) {}

  private final Vertx vertx;
  private final Connection connection;
  private final PreparedStatement insert;
  private final PreparedStatement delivered;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();

  GroupCommitWriter(Vertx vertx, Path file) throws SQLException {
    this.vertx = vertx;
    connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=FULL");
      st.execute("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, payload TEXT NOT NULL,"
          + " state TEXT NOT NULL, created_at INTEGER NOT NULL, delivered_at INTEGER)");
    }
    connection.setAutoCommit(false);
    insert = connection.prepareStatement(
        "INSERT INTO messages (id, payload, state, created_at) VALUES (?, ?, 'pending', ?)");
    delivered = connection.prepareStatement(
        "UPDATE messages SET state = 'delivered', delivered_at = ? WHERE id = ?");
    Thread thread = new Thread(this::loop, "baseline-writer");
    thread.setDaemon(true);
    thread.start();
  }

  Future<Void> insert(long id, String payload) {
    return submit(id, payload);
  }

  Future<Void> markDelivered(long id) {
    return submit(id, null);
  }

  private Future<Void> submit(long id, String payload) {
    Promise<Void> done = Promise.promise();
    queue.add(new Op(id, payload, done, vertx.getOrCreateContext()));
    return done.future();
  }

  private void loop() {
    List<Op> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
        Throwable failure = commit(batch);
        for (Op op : batch) {
          op.context().runOnContext(v -> {
            if (failure == null) {
              op.done().complete();
            } else {
              op.done().fail(failure);
            }
          });
        }
        batch.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Throwable commit(List<Op> batch) {
    long now = System.currentTimeMillis();
    try {
      for (Op op : batch) {
        if (op.payload() == null) {
          delivered.setLong(1, now);
          delivered.setLong(2, op.id());
          delivered.executeUpdate();
        } else {
          insert.setLong(1, op.id());
          insert.setString(2, op.payload());
          insert.setLong(3, now);
          insert.executeUpdate();
        }
      }
      connection.commit();
      return null;
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the failure is reported to every caller of the batch
      }
      return e;
    }
  }
}
