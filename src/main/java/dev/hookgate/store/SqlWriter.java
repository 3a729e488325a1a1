package dev.hookgate.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread owns the connection. Operations submitted while it is busy are run together in one
 * transaction (group commit): many writers, one fsync. An operation that fails rolls its batch
 * back; the others are then re-run each in its own transaction so that one bad row fails alone.
 * Futures complete on the submitter's Vert.x context.
 */
final class SqlWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SqlWriter.class);
  private static final int MAX_BATCH = 1000;
  private static final long SLOW_BATCH_MS = 1000;
  static final int MAX_QUEUED = 50_000;

  @FunctionalInterface
  interface SqlOp<T> {
    T run(Connection c) throws SQLException;
  }

  private record Pending<T>(String name, SqlOp<T> op, Promise<T> promise, Context context) {
    void complete(Object value) {
      @SuppressWarnings("unchecked") T v = (T) value;
      context.runOnContext(x -> promise.complete(v));
    }

    void fail(Throwable e) {
      context.runOnContext(x -> promise.fail(e));
    }
  }

  private final Vertx vertx;
  private final Connection connection;
  /**
   * Bounded: when the disk cannot keep up, new work is refused at once (the HTTP handlers answer 503,
   * a producer retries) instead of piling up in memory.
   */
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final Thread thread;
  private volatile boolean running = true;

  SqlWriter(Vertx vertx, Connection connection, String name) {
    this.vertx = vertx;
    this.connection = connection;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues an operation; {@code name} says what it is in logs. */
  synchronized <T> Future<T> submit(String name, SqlOp<T> op) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    if (!running) {
      return Future.failedFuture(new IllegalStateException("store is closed"));
    }
    if (!queue.offer(new Pending<>(name, op, promise, context))) {
      return Future.failedFuture(new IllegalStateException("store overloaded: " + MAX_QUEUED + " operations waiting"));
    }
    return promise.future();
  }

  /** Finishes what was submitted, then closes the connection. */
  void close() {
    synchronized (this) {
      running = false; // no submit can slip in after this: the loop runs what is queued, then stops
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    List<Pending<?>> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        runBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing the store: {}", e.getMessage());
    }
  }

  private void runBatch(List<Pending<?>> batch) {
    long started = System.nanoTime();
    runBatch0(batch);
    long ms = (System.nanoTime() - started) / 1_000_000;
    if (ms > SLOW_BATCH_MS) {
      LOG.warn("store batch of {} operation(s) took {} ms (first: {})", batch.size(), ms, batch.get(0).name());
    }
  }

  private void runBatch0(List<Pending<?>> batch) {
    Object[] results = new Object[batch.size()];
    try {
      for (int i = 0; i < batch.size(); i++) {
        results[i] = batch.get(i).op().run(connection);
      }
      connection.commit();
    } catch (Throwable e) { // an Error too: the writer thread must survive any operation
      rollback();
      if (batch.size() == 1) {
        batch.get(0).fail(e);
      } else {
        batch.forEach(p -> runBatch(List.of(p)));
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(results[i]);
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.error("store rollback failed: {}", e.getMessage());
    }
  }
}
