package dev.hookgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection of the store as an operation sees it: prepared statements cached for the
 * connection's life, and what the transaction queued (for the other nodes' wake-ups at commit).
 * Only the thread that owns the connection touches it.
 */
final class Tx {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<String, PreparedStatement> keyed = new HashMap<>();
  /** Every statement this connection prepared (for the query-plan test). */
  private final java.util.Set<String> prepared = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private boolean jobsQueued;
  private long firstDeliveryQueued;

  Tx(Connection connection) {
    this.connection = connection;
  }

  Connection connection() {
    return connection;
  }

  /** A prepared statement for this SQL, reused across transactions. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
      prepared.add(sql);
    } else {
      ps.clearBatch(); // whatever a failed batch left behind
      ps.clearParameters();
    }
    return ps;
  }

  /** As {@link #prepare}, returning the generated {@code id} of each inserted row. */
  PreparedStatement prepareReturningId(String sql) throws SQLException {
    PreparedStatement ps = keyed.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql, new String[] {"id"});
      keyed.put(sql, ps);
      prepared.add(sql);
    } else {
      ps.clearBatch();
      ps.clearParameters();
    }
    return ps;
  }

  java.util.Set<String> preparedStatements() {
    return prepared;
  }

  void jobsQueued() {
    jobsQueued = true;
  }

  void deliveriesQueued(long firstId) {
    if (firstId > 0 && (firstDeliveryQueued == 0 || firstId < firstDeliveryQueued)) {
      firstDeliveryQueued = firstId;
    }
  }

  boolean anyJobsQueued() {
    return jobsQueued;
  }

  long firstDeliveryQueued() {
    return firstDeliveryQueued;
  }

  /** Forgets what the last transaction queued (after its commit or rollback). */
  void reset() {
    jobsQueued = false;
    firstDeliveryQueued = 0;
  }

  /** Closes the statements and the connection, whatever state they are in. */
  void closeQuietly() {
    for (Statement st : statements.values()) {
      closeQuietly(st);
    }
    for (Statement st : keyed.values()) {
      closeQuietly(st);
    }
    statements.clear();
    keyed.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      // a broken connection: nothing more to do with it
    }
  }

  private static void closeQuietly(Statement st) {
    try {
      st.close();
    } catch (SQLException e) {
      // closing anyway
    }
  }
}
