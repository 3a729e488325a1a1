package dev.hookgate.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer threads, each owning a write connection: operations submitted while they are busy run
 * together in one transaction (group commit): many writers, one flush. Futures complete on the
 * submitter's Vert.x context. SQLite has one writer thread (the database takes one write
 * transaction at a time); PostgreSQL a few ({@code store.postgres.writers}), each taking whatever
 * waits when it is free, so that several transactions are in flight and commit latency, not one
 * connection, bounds a node. Operations of one batch run in submission order; two batches on two
 * writers may commit in either order (nothing waits on another's commit without its future).
 *
 * <p>Failures: an operation that fails with an ordinary error (a constraint, a callback that threw)
 * rolls its batch back, and the others are re-run each in its own transaction, so that one bad row
 * fails alone. A failure of the storage (disk full, I/O error, lost connection), a failed commit
 * or a failed rollback fails the whole batch and is never re-run: the connection is closed (SQLite
 * may have rolled back by itself, leaving a driver that believes a transaction is open) and a fresh
 * one is opened for the next batch, so the store recovers by itself once the storage does. Nothing
 * whose future failed was committed, and nothing whose future succeeded is lost.
 */
final class SqlWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SqlWriter.class);
  private static final int MAX_BATCH = 1000;
  private static final long SLOW_BATCH_MS = 1000;
  /** While the storage refuses, a reconnect is tried at most this often; operations fail at once meanwhile. */
  private static final long RECONNECT_EVERY_MS = 500;
  static final int MAX_QUEUED = 50_000;

  @FunctionalInterface
  interface SqlOp<T> {
    T run(Tx tx) throws SQLException;
  }

  /** The write failed and nothing of it was committed. */
  static final class StoreUnavailableException extends RuntimeException {
    StoreUnavailableException(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private record Pending<T>(String name, Collection<String> queueDepths, SqlOp<T> op, Promise<T> promise,
      Context context) {
    void complete(Object value) {
      @SuppressWarnings("unchecked") T v = (T) value;
      context.runOnContext(x -> promise.complete(v));
    }

    void fail(Throwable e) {
      context.runOnContext(x -> promise.fail(e));
    }
  }

  private final Vertx vertx;
  private final Wakeups wakeups;
  private final Dialect dialect;
  private final StoreStats stats;
  private final FailureLog failures = new FailureLog(LOG);
  /**
   * Bounded: when the disk cannot keep up, new work is refused at once (the HTTP handlers answer 503,
   * a producer retries) instead of piling up in memory. Shared by the writer threads.
   */
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final List<Worker> workers = new ArrayList<>();
  private volatile boolean running = true;

  /** One writer thread on the {@code opened} connection. */
  SqlWriter(Vertx vertx, Dialect dialect, Tx opened, StoreStats stats, String name) {
    this(vertx, dialect, opened, stats, name, 1);
  }

  /**
   * {@code writers} writer threads: the first on the {@code opened} connection, the others open
   * theirs at their first batch.
   */
  SqlWriter(Vertx vertx, Dialect dialect, Tx opened, StoreStats stats, String name, int writers) {
    if (writers < 1) {
      throw new IllegalArgumentException("writers must be at least 1: " + writers);
    }
    this.vertx = vertx;
    this.wakeups = new Wakeups(vertx);
    this.dialect = dialect;
    this.stats = stats;
    for (int i = 0; i < writers; i++) {
      workers.add(new Worker(i == 0 ? opened : null, writers == 1 ? name : name + "-" + (i + 1)));
    }
    workers.forEach(w -> w.thread.start());
  }

  /** Queues an operation; {@code name} says what it is in logs and metrics. */
  <T> Future<T> submit(String name, SqlOp<T> op) {
    return submit(name, List.of(), op);
  }

  /**
   * Queues an operation that changes the {@code queue_depth} rows of these commands: the rows of
   * every operation of a batch are locked first, in one order ({@link Dialect#lockQueueDepths}).
   */
  synchronized <T> Future<T> submit(String name, Collection<String> queueDepths, SqlOp<T> op) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    if (!running) {
      return Future.failedFuture(new IllegalStateException("store is closed"));
    }
    if (!queue.offer(new Pending<>(name, queueDepths, op, promise, context))) {
      failures.refused("store overloaded: " + MAX_QUEUED + " operations waiting");
      return Future.failedFuture(new IllegalStateException("store overloaded: " + MAX_QUEUED + " operations waiting"));
    }
    return promise.future();
  }

  /** The statements the write connections prepared so far (for the query-plan test). */
  java.util.Set<String> preparedStatements() {
    java.util.Set<String> all = new java.util.HashSet<>();
    for (Worker w : workers) {
      Tx t = w.tx;
      if (t != null) {
        all.addAll(t.preparedStatements());
      }
    }
    return all;
  }

  /** Finishes what was submitted, then closes the connections. */
  void close() {
    synchronized (this) {
      running = false; // no submit can slip in after this: the loops run what is queued, then stop
    }
    try {
      for (Worker w : workers) {
        w.thread.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private StoreUnavailableException unavailable(Throwable e) {
    return new StoreUnavailableException(dialect.name() + " store refused the write: " + describe(e), e);
  }

  private void failAll(List<Pending<?>> batch, Throwable e) {
    failures.failed(batch.size(), describe(e));
    stats.failed(batch.size());
    batch.forEach(p -> p.fail(e));
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root instanceof StoreUnavailableException && root.getCause() != null) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }

  /** One writer thread and its connection. */
  private final class Worker {
    private final Thread thread;
    /** This worker's thread only (read by {@link #preparedStatements}). */
    private volatile Tx tx;
    private long lastConnectAttempt;
    private boolean hadConnection;

    Worker(Tx opened, String name) {
      this.tx = opened;
      this.hadConnection = opened != null;
      this.thread = new Thread(this::loop, name);
      this.thread.setDaemon(true);
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
          long started = System.nanoTime();
          runBatch(batch);
          long ms = (System.nanoTime() - started) / 1_000_000;
          if (ms > SLOW_BATCH_MS) {
            LOG.warn("store batch of {} operation(s) took {} ms (first: {})", batch.size(), ms, batch.get(0).name());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (Throwable e) { // the writer thread must survive anything
          batch.forEach(p -> p.fail(e));
          LOG.error("store writer: unexpected failure", e);
        } finally {
          batch.clear();
        }
      }
      if (tx != null) {
        tx.closeQuietly();
      }
    }

    private void runBatch(List<Pending<?>> batch) {
      if (!connected()) {
        failAll(batch, new StoreUnavailableException(dialect.name() + " store unavailable: cannot reconnect", null));
        return;
      }
      try {
        dialect.checkStorage(); // a SQLite file deleted or replaced: nothing more is written into the lost one
      } catch (SQLException e) {
        failAll(batch, unavailable(e));
        return;
      }
      Object[] results = new Object[batch.size()];
      SortedSet<String> queueDepths = new TreeSet<>();
      batch.forEach(p -> queueDepths.addAll(p.queueDepths()));
      int i = 0;
      try {
        if (!queueDepths.isEmpty()) {
          dialect.lockQueueDepths(tx, queueDepths);
        }
        for (; i < batch.size(); i++) {
          results[i] = batch.get(i).op().run(tx);
        }
        tx.runBatches(); // the rows the operations added to shared batches: one round trip each
      } catch (Throwable e) { // an Error too: the writer thread must survive any operation
        boolean storage = e instanceof SQLException s && dialect.isStorageFailure(s);
        boolean clean = rollback();
        if (storage || !clean) {
          failAll(batch, unavailable(e));
        } else if (batch.size() == 1) {
          batch.get(0).fail(e);
        } else {
          batch.forEach(p -> runBatch(List.of(p)));
        }
        return;
      }
      try {
        tx.connection().commit();
      } catch (Throwable e) {
        // a commit that failed may have happened (a connection lost in the middle): never re-run
        rollback();
        failAll(batch, unavailable(e));
        return;
      }
      boolean jobsQueued = tx.anyJobsQueued();
      long firstDeliveryQueued = tx.firstDeliveryQueued();
      try {
        dialect.notifyQueued(tx.connection(), jobsQueued, firstDeliveryQueued); // the other nodes
      } catch (Throwable e) { // the work is committed: the others' sweeps find it without the wake-up
        LOG.warn("telling the other nodes failed: {}", e.getMessage());
      }
      tx.reset();
      wakeups.committed(jobsQueued, firstDeliveryQueued); // this node
      stats.committed();
      failures.recovered();
      for (int j = 0; j < batch.size(); j++) {
        stats.operation(batch.get(j).name());
        batch.get(j).complete(results[j]);
      }
    }

    /**
     * Rolls back; false (and the connection dropped, to be reopened) when that fails or the
     * connection is not in a known state afterwards.
     */
    private boolean rollback() {
      tx.reset();
      try {
        tx.connection().rollback();
        if (tx.connection().getAutoCommit() || tx.connection().isClosed()) {
          throw new SQLException("connection left outside a transaction");
        }
        return true;
      } catch (SQLException e) {
        tx.closeQuietly();
        tx = null;
        return false;
      }
    }

    /** A connection in a known state, opened anew after a failure (at most every RECONNECT_EVERY_MS). */
    private boolean connected() {
      if (tx != null) {
        return true;
      }
      long now = System.currentTimeMillis();
      if (now - lastConnectAttempt < RECONNECT_EVERY_MS) {
        return false;
      }
      lastConnectAttempt = now;
      try {
        tx = new Tx(dialect.connect(false), dialect);
        LOG.info("{} store: write connection {}", dialect.name(), hadConnection ? "reopened" : "opened");
        hadConnection = true;
        return true;
      } catch (SQLException e) {
        failures.failed(0, "reconnecting: " + e.getMessage());
        return false;
      }
    }
  }
}
