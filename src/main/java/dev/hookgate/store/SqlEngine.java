package dev.hookgate.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * What every role of the store engine shares: the writer (group commit), the reader (off the
 * writer), the dialect and this node's id.
 */
final class SqlEngine {
  private final Dialect dialect;
  private final String nodeId;
  private SqlWriter writer;
  private SqlReader reader;

  SqlEngine(Dialect dialect, String nodeId) {
    this.dialect = dialect;
    this.nodeId = nodeId;
  }

  void started(SqlWriter writer, SqlReader reader) {
    this.writer = writer;
    this.reader = reader;
  }

  Dialect dialect() {
    return dialect;
  }

  String nodeId() {
    return nodeId;
  }

  <T> Future<T> write(String name, SqlWriter.SqlOp<T> op) {
    return write(name, List.of(), op);
  }

  /** A write that changes the queue counts of these commands (see {@link SqlWriter#submit(String, java.util.Collection, SqlWriter.SqlOp)}). */
  <T> Future<T> write(String name, java.util.Collection<String> queueDepths, SqlWriter.SqlOp<T> op) {
    SqlWriter w = writer;
    return w == null ? Future.failedFuture(new IllegalStateException("store is not open"))
        : w.submit(name, queueDepths, op);
  }

  <T> Future<T> read(SqlWriter.SqlOp<T> op) {
    SqlReader r = reader;
    return r == null ? Future.failedFuture(new IllegalStateException("store is not open")) : r.read(op);
  }

  /** Queues deliveries as this node's, for a claim; this node's consumers and the other nodes are told at commit. */
  void insertDeliveries(Tx tx, List<NewDelivery> deliveries) throws java.sql.SQLException {
    Rows.insertDeliveries(tx, deliveries, nodeId, null);
  }

  /** Stores deliveries leased to this node, which sends them from memory; their ids once the transaction ran. */
  Tx.Ids insertLeasedDeliveries(Tx tx, List<NewDelivery> deliveries, Lease lease) throws java.sql.SQLException {
    return Rows.insertDeliveries(tx, deliveries, nodeId, lease);
  }
}
