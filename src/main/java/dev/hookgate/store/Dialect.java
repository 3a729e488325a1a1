package dev.hookgate.store;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the databases the one store engine ({@link SqlStore}) runs on: how to
 * connect, the schema migrations, the few SQL fragments that are not standard, whether several
 * nodes may share the database, and how another node's work wakes this one. Everything else (the
 * queue logic and its statements) is written once.
 */
interface Dialect {

  /** For logs and errors: {@code SQLite} or {@code PostgreSQL}. */
  String name();

  /** Opens a connection with autocommit off, tuned for its role. */
  Connection connect(boolean reader) throws SQLException;

  /**
   * Called once for each statement a connection prepares ({@link Tx#prepare}): where the database
   * caches plans, the statements whose best plan depends on their values are told to be planned at
   * each run. Nothing to do by default.
   */
  default void prepared(String sql, java.sql.PreparedStatement ps) throws SQLException {
    // plans are the database's own business
  }

  /** Applies the missing migrations in one transaction; returns how many were applied. */
  int migrate(Connection c) throws SQLException;

  /**
   * True when several nodes may share the database: lane leases, adoption of a dead node's
   * replies and periodic recovery then matter. False where this process holds the store alone.
   */
  boolean shared();

  /** Whether the driver gives the generated keys of a JDBC batch (pgjdbc does, sqlite-jdbc does not). */
  boolean batchReturnsKeys();

  /** {@code GREATEST(a, b)} on PostgreSQL, {@code MAX(a, b)} on SQLite. */
  String greatest(String a, String b);

  /** Appended to a claim's SELECT: lock the rows and skip those another node locked (empty where one writer). */
  String skipLocked();

  /**
   * Runs first in a transaction: locks (creating them if need be) the {@code queue_depth} rows of
   * these commands, in their sorted order, so that the transactions of several nodes, whatever
   * order their operations come in, never wait on each other's rows in a cycle. Nothing to do where
   * one writer has the store.
   */
  void lockQueueDepths(Tx tx, java.util.SortedSet<String> commands) throws SQLException;

  /**
   * Runs once a transaction that queued work committed: tells the other nodes (PostgreSQL: a
   * NOTIFY sent after the commit, coalesced with other commits'). Nothing to do where nobody else
   * listens.
   */
  void notifyQueued(Connection c, boolean jobs, long firstDeliveryId) throws SQLException;

  /** Starts whatever wakes this node when another node queues work; null where there is none. */
  AutoCloseable listen(Vertx vertx);

  /**
   * Whether this error leaves the connection unusable or the storage refusing writes (disk full,
   * I/O error, lost connection): the connection is then reopened and the batch is not re-run
   * operation by operation (every operation would fail the same way).
   */
  boolean isStorageFailure(SQLException e);

  /** Throws when the store's storage is not what was opened (a SQLite file deleted or replaced). */
  void checkStorage() throws SQLException;

  /** Releases what {@link #connect} and {@code open} took outside connections (a file lock). */
  void release();

  /** Schema versions known to this build, for tests. */
  List<String> migrations();
}
