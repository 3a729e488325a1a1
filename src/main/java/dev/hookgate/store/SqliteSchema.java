package dev.hookgate.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Versioned schema migrations, applied in order at start; each version is applied once. */
final class SqliteSchema {
  static final List<String> MIGRATIONS = List.of(
      // 1: jobs (with their response_url's use count), deliveries, idempotency keys.
      // Ids grow with time and the indexes are partial (only live rows): a commit dirties few pages.
      """
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        command TEXT NOT NULL,
        request TEXT NOT NULL,
        response_url TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        lease_owner TEXT,
        lease_until INTEGER,
        outcome TEXT,
        url_uses INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX jobs_queued ON jobs(command, created_at) WHERE state = 'queued';
      CREATE INDEX jobs_running ON jobs(command, lease_until) WHERE state = 'running';
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        lane TEXT NOT NULL,
        destination TEXT,
        response_url TEXT,
        fallback TEXT,
        job_id TEXT,
        hook TEXT,
        payload TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        not_before INTEGER NOT NULL,
        last_error TEXT,
        delivered_at INTEGER,
        lease_owner TEXT,
        lease_until INTEGER
      );
      CREATE INDEX deliveries_pending ON deliveries(lane, id) WHERE state = 'pending';
      CREATE INDEX deliveries_dead ON deliveries(id) WHERE state = 'dead';
      CREATE TABLE idempotency_keys (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      );
      """,
      // 2: node heartbeats (health checks; several nodes later)
      """
      CREATE TABLE nodes (
        node TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL
      );
      """,
      // 3: when each schedule last fired (no double fire, bounded catch-up after a stop)
      """
      CREATE TABLE schedule_runs (
        name TEXT PRIMARY KEY,
        last_fired_at INTEGER NOT NULL
      );
      """,
      // 4: purging old idempotency keys must not scan the table
      """
      CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);
      """);

  private SqliteSchema() {}

  static void migrate(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      int current = 0;
      try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) {
          current = rs.getInt(1);
        }
      }
      for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
        for (String sql : MIGRATIONS.get(v - 1).split(";")) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
        st.execute("INSERT INTO schema_version(version) VALUES (" + v + ")");
      }
      c.commit();
    }
  }
}
