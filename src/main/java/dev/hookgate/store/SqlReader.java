package dev.hookgate.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads that nobody's acknowledgement waits for (the admin API and page, metrics): a connection and
 * a thread of their own, off the writer. SQLite's WAL lets them read while the writer commits; each
 * query runs in its own snapshot. A failed read drops the connection; the next read opens another.
 */
final class SqlReader {
  private final Vertx vertx;
  private final Dialect dialect;
  private final ExecutorService thread;
  /** The reader thread only. */
  private Tx tx;

  SqlReader(Vertx vertx, Dialect dialect, String name) {
    this.vertx = vertx;
    this.dialect = dialect;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  <T> Future<T> read(SqlWriter.SqlOp<T> op) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      thread.execute(() -> {
        try {
          if (tx == null) {
            tx = new Tx(dialect.connect(true), dialect);
          }
          T value = op.run(tx);
          context.runOnContext(x -> promise.complete(value));
        } catch (Throwable e) {
          if (tx != null && e instanceof SQLException) {
            tx.closeQuietly();
            tx = null;
          }
          context.runOnContext(x -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("store is closed"));
    }
    return promise.future();
  }

  void close() {
    thread.execute(() -> {
      if (tx != null) {
        tx.closeQuietly();
        tx = null;
      }
    });
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
