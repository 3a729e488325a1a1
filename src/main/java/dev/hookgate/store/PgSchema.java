package dev.hookgate.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * The PostgreSQL schema: the same tables as {@link SqliteSchema} (times in BIGINT millis, job ids
 * TEXT, delivery ids from an identity column, partial indexes on live rows), versioned in
 * {@code schema_version}. Migrations run at start in one transaction that first takes a
 * transaction-scoped advisory lock: when several nodes start at once, one migrates and the others
 * wait, then find nothing left to do.
 */
final class PgSchema {
  /** "hookgate" in ASCII: the advisory lock that serialises migrations across nodes. */
  static final long MIGRATION_LOCK = 0x686f6f6b67617465L;

  static final List<String> MIGRATIONS = List.of(
      // 1: jobs (with their response_url's use count), deliveries, idempotency keys
      """
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        command TEXT NOT NULL,
        request TEXT NOT NULL,
        response_url TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        finished_at BIGINT,
        lease_owner TEXT,
        lease_until BIGINT,
        outcome TEXT,
        url_uses INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX jobs_queued ON jobs (command, created_at, id) WHERE state = 'queued';
      CREATE INDEX jobs_running ON jobs (command, lease_until) WHERE state = 'running';
      CREATE INDEX jobs_created ON jobs (created_at);
      CREATE TABLE deliveries (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lane TEXT NOT NULL,
        destination TEXT,
        response_url TEXT,
        fallback TEXT,
        job_id TEXT,
        hook TEXT,
        payload TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        not_before BIGINT NOT NULL,
        last_error TEXT,
        delivered_at BIGINT,
        lease_owner TEXT,
        lease_until BIGINT
      );
      CREATE INDEX deliveries_pending ON deliveries (lane, id) WHERE state = 'pending';
      CREATE INDEX deliveries_pending_id ON deliveries (id) WHERE state = 'pending';
      CREATE INDEX deliveries_dead ON deliveries (id) WHERE state = 'dead';
      CREATE TABLE idempotency_keys (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
      """,
      // 2: node heartbeats (health checks; liveness of lease holders)
      """
      CREATE TABLE nodes (
        node TEXT PRIMARY KEY,
        seen_at BIGINT NOT NULL
      );
      """,
      // 3: when each schedule last fired (no double fire across nodes, bounded catch-up)
      """
      CREATE TABLE schedule_runs (
        name TEXT PRIMARY KEY,
        last_fired_at BIGINT NOT NULL
      );
      """,
      // 4: several nodes: one owner per destination lane (its lease, and a Retry-After that outlives
      // a failover); the node that queued a delivery (a response_url's lane stays with it)
      """
      CREATE TABLE IF NOT EXISTS lane_leases (
        lane TEXT PRIMARY KEY,
        owner TEXT,
        lease_until BIGINT NOT NULL DEFAULT 0,
        paused_until BIGINT NOT NULL DEFAULT 0
      );
      ALTER TABLE deliveries ADD COLUMN node TEXT;
      CREATE INDEX deliveries_pending_replies ON deliveries (node, id)
        WHERE state = 'pending' AND lane NOT LIKE 'dest:%';
      """);

  private PgSchema() {}

  /** Applies the missing migrations; the future holds how many were applied. */
  static Future<Integer> migrate(Pool pool) {
    return pool.withTransaction(c -> c.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(MIGRATION_LOCK))
        .compose(v -> c.query("SELECT to_regclass('schema_version') IS NULL AS missing").execute())
        .compose(rs -> !rs.iterator().next().getBoolean("missing") ? Future.succeededFuture()
            : c.query("CREATE TABLE schema_version ("
                + "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())").execute())
        .compose(v -> c.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version").execute())
        .compose(rs -> apply(c, rs.iterator().next().getInteger("v") + 1, 0)));
  }

  private static Future<Integer> apply(SqlConnection c, int version, int applied) {
    if (version > MIGRATIONS.size()) {
      return Future.succeededFuture(applied);
    }
    return c.query(MIGRATIONS.get(version - 1)).execute()
        .compose(v -> c.preparedQuery("INSERT INTO schema_version (version) VALUES ($1)").execute(Tuple.of(version)))
        .compose(v -> apply(c, version + 1, applied + 1));
  }
}
