package dev.hookgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection of the store as an operation sees it: prepared statements cached for the
 * connection's life, rows that the operations of a transaction add to shared JDBC batches (run
 * together before the commit: on PostgreSQL one round trip for many operations, not one each), and
 * what the transaction queued (for the other nodes' wake-ups at commit). Only the thread that owns
 * the connection touches it.
 */
final class Tx {
  /** What to do with a shared batch once it ran (read its generated keys). */
  @FunctionalInterface
  interface AfterBatch {
    void ran(PreparedStatement ps) throws SQLException;
  }

  private final Connection connection;
  /** Told of each statement prepared (plans); null: nothing to tell. */
  private final Dialect dialect;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<String, PreparedStatement> keyed = new HashMap<>();
  /** Every statement this connection prepared (for the query-plan test). */
  private final java.util.Set<String> prepared = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The shared batches of this transaction, in the order they were first used. */
  private final Map<PreparedStatement, AfterBatch> batches = new LinkedHashMap<>();
  /** Per shared batch that returns keys: who gets them, in the order their rows were added. */
  private final Map<PreparedStatement, java.util.List<Ids>> keysWanted = new HashMap<>();
  private final boolean batchReturnsKeys;
  private boolean jobsQueued;
  private long firstDeliveryQueued;

  Tx(Connection connection) {
    this(connection, null);
  }

  /** {@code dialect}: how its statements are prepared, whether a batch returns its keys; null: plain JDBC. */
  Tx(Connection connection, Dialect dialect) {
    this.connection = connection;
    this.dialect = dialect;
    this.batchReturnsKeys = dialect != null && dialect.batchReturnsKeys();
  }

  /** Binds one row of an insert. */
  @FunctionalInterface
  interface RowBinder<R> {
    void bind(PreparedStatement ps, R row) throws SQLException;
  }

  /** The generated ids of the rows one operation inserted, known before the transaction commits. */
  static final class Ids {
    private final long[] values;
    private final java.util.function.LongConsumer onKnown;

    private Ids(int n, java.util.function.LongConsumer onKnown) {
      this.values = new long[n];
      this.onKnown = onKnown;
    }

    /** The id of the i-th row; read it once the operation's future completed. */
    long get(int i) {
      return values[i];
    }

    private void known() {
      if (values.length > 0) {
        onKnown.accept(java.util.Arrays.stream(values).min().getAsLong());
      }
    }
  }

  /**
   * Inserts rows and gives back their generated {@code id}s. Where a batch returns its keys
   * (PostgreSQL), the rows join the transaction's shared batch of this statement (one round trip
   * for every operation of the group commit) and the ids are filled in when it runs, before the
   * commit; elsewhere (SQLite, in process) each row runs at once. {@code firstId} is told the
   * smallest id then.
   */
  <R> Ids insertReturningIds(String sql, java.util.List<R> rows, RowBinder<R> binder,
      java.util.function.LongConsumer firstId) throws SQLException {
    Ids ids = new Ids(rows.size(), firstId);
    if (batchReturnsKeys) {
      PreparedStatement ps = batched(sql, true, this::distributeKeys);
      for (R row : rows) {
        binder.bind(ps, row);
        ps.addBatch();
      }
      keysWanted.computeIfAbsent(ps, k -> new java.util.ArrayList<>()).add(ids);
      return ids;
    }
    PreparedStatement ps = prepareReturningId(sql);
    for (int i = 0; i < rows.size(); i++) {
      binder.bind(ps, rows.get(i));
      ps.executeUpdate();
      try (java.sql.ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("the driver gave no generated id for an inserted row");
        }
        ids.values[i] = keys.getLong(1);
      }
    }
    ids.known();
    return ids;
  }

  private void distributeKeys(PreparedStatement ran) throws SQLException {
    java.util.List<Ids> wanted = keysWanted.remove(ran);
    if (wanted == null) {
      return;
    }
    try (java.sql.ResultSet keys = ran.getGeneratedKeys()) {
      for (Ids ids : wanted) {
        for (int i = 0; i < ids.values.length; i++) {
          if (!keys.next()) {
            throw new SQLException("the driver gave fewer generated ids than rows inserted");
          }
          ids.values[i] = keys.getLong(1);
        }
        ids.known();
      }
    }
  }

  Connection connection() {
    return connection;
  }

  /** A prepared statement for this SQL, reused across transactions. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      planned(sql, ps);
      statements.put(sql, ps);
      prepared.add(sql);
    } else {
      ps.clearBatch(); // whatever a failed batch left behind
      ps.clearParameters();
    }
    return ps;
  }

  private void planned(String sql, PreparedStatement ps) throws SQLException {
    if (dialect != null) {
      dialect.prepared(sql, ps);
    }
  }

  /** As {@link #prepare}, returning the generated {@code id} of each inserted row. */
  PreparedStatement prepareReturningId(String sql) throws SQLException {
    PreparedStatement ps = keyed.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql, new String[] {"id"});
      planned(sql, ps);
      keyed.put(sql, ps);
      prepared.add(sql);
    } else {
      ps.clearBatch();
      ps.clearParameters();
    }
    return ps;
  }

  /**
   * A statement to add rows to ({@code addBatch}, never executed by the operation): its rows run in
   * one JDBC batch with those of the other operations of the transaction, before the commit (see
   * {@link #runBatches}). For inserts whose outcome no operation reads: a row an operation adds is
   * not visible to the statements of the transaction until then.
   */
  PreparedStatement batched(String sql, boolean returningIds, AfterBatch afterRun) throws SQLException {
    PreparedStatement ps = returningIds ? keyed.get(sql) : statements.get(sql);
    if (ps != null && batches.containsKey(ps)) {
      ps.clearParameters();
      return ps;
    }
    ps = returningIds ? prepareReturningId(sql) : prepare(sql);
    batches.put(ps, afterRun);
    return ps;
  }

  /** Runs the shared batches (before the commit); a failure fails the transaction. */
  void runBatches() throws SQLException {
    for (Map.Entry<PreparedStatement, AfterBatch> b : batches.entrySet()) {
      b.getKey().executeBatch();
      b.getValue().ran(b.getKey());
    }
    batches.clear();
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

  /** Forgets what the last transaction queued (after its commit or rollback), rows not run included. */
  void reset() {
    jobsQueued = false;
    firstDeliveryQueued = 0;
    keysWanted.clear();
    for (PreparedStatement ps : batches.keySet()) {
      try {
        ps.clearBatch();
      } catch (SQLException e) {
        // a broken statement: the connection is dropped with it
      }
    }
    batches.clear();
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
