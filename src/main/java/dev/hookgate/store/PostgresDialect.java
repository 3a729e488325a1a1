package dev.hookgate.store;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGStatement;

/**
 * PostgreSQL, shared by one node or several: claims lock their rows and skip those another node
 * locked, a transaction that queued work NOTIFYs the other nodes at its commit ({@link PgWakeups}
 * listens), and migrations run under an advisory lock so that nodes starting at once migrate once.
 */
final class PostgresDialect implements Dialect {
  /** "hookgate" in ASCII: the advisory lock that serialises migrations across nodes. */
  static final long MIGRATION_LOCK = 0x686f6f6b67617465L;
  /** NOTIFY channels: a job was queued; deliveries were queued (payload: the smallest new id). */
  static final String JOBS_CHANNEL = "hookgate_jobs";
  static final String DELIVERIES_CHANNEL = "hookgate_deliveries";

  private final String jdbcUrl;
  private final Properties properties;
  /** This node: named in its NOTIFY payloads, so that its own listener ignores them. */
  private final String nodeId;
  /** Started at the first wake-up to send; stopped by {@link #release}. */
  private PgNotifier notifier;

  /** {@code uri}: {@code postgresql://user:password@host:port/database?param=value}. */
  PostgresDialect(String uri, String nodeId) {
    this.nodeId = nodeId;
    URI u = URI.create(uri);
    if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
      throw new IllegalArgumentException("store.postgres.uri must start with postgresql://");
    }
    properties = new Properties();
    if (u.getRawUserInfo() != null) {
      String[] userInfo = u.getRawUserInfo().split(":", 2);
      properties.setProperty("user", decode(userInfo[0]));
      if (userInfo.length == 2) {
        properties.setProperty("password", decode(userInfo[1]));
      }
    }
    if (u.getRawQuery() != null) {
      for (String pair : u.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        properties.setProperty(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
      }
    }
    properties.putIfAbsent("ApplicationName", "hookgate");
    // the shared batches of inserts (jobs, deliveries) go as multi-row INSERTs: one statement to
    // parse, plan and execute for many rows (generated ids still come back, one per row)
    properties.putIfAbsent("reWriteBatchedInserts", "true");
    String host = u.getHost() == null ? "127.0.0.1" : u.getHost();
    int port = u.getPort() < 0 ? 5432 : u.getPort();
    String database = u.getPath() == null || u.getPath().length() <= 1 ? "" : u.getPath().substring(1);
    jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String name() {
    return "PostgreSQL";
  }

  @Override
  public Connection connect(boolean reader) throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl, properties);
    c.setAutoCommit(reader);
    return c;
  }

  /**
   * Plans made for each run's values, for the statements that pick rows by a lease's expiry or claim
   * with SKIP LOCKED: a cached generic plan is made without the values, often while a table is
   * nearly empty, and then kept; one seen here leased each delivery by walking the whole partial
   * index of pending rows (deliveries_pending (lane, id), for "id = $1"), so each claim cost as much
   * as the backlog was long. Those run as unnamed statements (pgjdbc's prepareThreshold 0: parsed
   * and planned at each run, never server-prepared). Every other statement (inserts, updates by key)
   * is server-prepared and may run on PostgreSQL's cached generic plan: no planning per run.
   */
  @Override
  public void prepared(String sql, PreparedStatement ps) throws SQLException {
    if (plannedEachRun(sql)) {
      ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
  }

  static boolean plannedEachRun(String sql) {
    return sql.contains("SKIP LOCKED") || sql.contains("lease_until < ?");
  }

  /** Autocommit connection for LISTEN. */
  Connection connectForListening() throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl, properties);
    c.setAutoCommit(true);
    return c;
  }

  @Override
  public int migrate(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, MIGRATION_LOCK);
        lock.execute();
      }
      st.execute("CREATE TABLE IF NOT EXISTS schema_version ("
          + "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      int current;
      try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      int applied = 0;
      for (int v = current + 1; v <= PgSchema.MIGRATIONS.size(); v++) {
        st.execute(PgSchema.MIGRATIONS.get(v - 1));
        st.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
        applied++;
      }
      c.commit();
      return applied;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  @Override
  public List<String> migrations() {
    return PgSchema.MIGRATIONS;
  }

  @Override
  public boolean batchReturnsKeys() {
    return true;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public String greatest(String a, String b) {
    return "GREATEST(" + a + ", " + b + ")";
  }

  @Override
  public String skipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public void lockQueueDepths(Tx tx, java.util.SortedSet<String> commands) throws SQLException {
    // one statement, rows taken in the sorted order: a new row is inserted, an existing one locked
    // by a no-op update (ON CONFLICT DO NOTHING would not lock it)
    PreparedStatement ps = tx.prepare("INSERT INTO queue_depth(command, queued) "
        + "SELECT c, 0 FROM unnest(?::text[]) AS c ORDER BY c "
        + "ON CONFLICT (command) DO UPDATE SET queued = queue_depth.queued");
    ps.setArray(1, tx.connection().createArrayOf("text", commands.toArray()));
    ps.executeUpdate();
  }

  /**
   * Hands the wake-up to {@link PgNotifier}, which sends it after this commit, coalesced with the
   * other writers': payloads name this node (jobs) and {@code <first id> <node id>} (deliveries).
   */
  @Override
  public void notifyQueued(Connection c, boolean jobs, long firstDeliveryId) {
    if (jobs || firstDeliveryId > 0) {
      notifier().queued(jobs, firstDeliveryId);
    }
  }

  private synchronized PgNotifier notifier() {
    if (notifier == null) {
      notifier = new PgNotifier(this);
    }
    return notifier;
  }

  /** One statement for both channels: {@link #bindNotify} binds it. */
  String notifySql(boolean jobs, long firstDeliveryId) {
    if (jobs && firstDeliveryId > 0) {
      return "SELECT pg_notify('" + JOBS_CHANNEL + "', ?), pg_notify('" + DELIVERIES_CHANNEL + "', ?)";
    }
    return "SELECT pg_notify('" + (jobs ? JOBS_CHANNEL : DELIVERIES_CHANNEL) + "', ?)";
  }

  void bindNotify(PreparedStatement ps, boolean jobs, long firstDeliveryId) throws SQLException {
    int p = 1;
    if (jobs) {
      ps.setString(p++, nodeId);
    }
    if (firstDeliveryId > 0) {
      ps.setString(p, firstDeliveryId + " " + nodeId);
    }
  }

  String nodeId() {
    return nodeId;
  }

  @Override
  public AutoCloseable listen(Vertx vertx) {
    return PgWakeups.start(vertx, this);
  }

  @Override
  public boolean isStorageFailure(SQLException e) {
    String state = e.getSQLState();
    // 08: connection exceptions; 53: insufficient resources (disk full); 57P: the server shut down
    return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
  }

  @Override
  public void checkStorage() {
    // the server owns its storage; a failed write says enough
  }

  @Override
  public void release() {
    PgNotifier n;
    synchronized (this) {
      n = notifier;
      notifier = null;
    }
    if (n != null) {
      n.close();
    }
  }
}
