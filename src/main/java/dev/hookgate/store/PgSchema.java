package dev.hookgate.store;

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
      """,
      // 5: flat cost per message: retention reads only what it deletes; the count of queued jobs
      // per command is kept as the queue changes (max-queued never counts rows, across nodes)
      """
      CREATE INDEX deliveries_by_job ON deliveries (job_id) WHERE job_id IS NOT NULL;
      CREATE INDEX deliveries_delivered ON deliveries (delivered_at) WHERE state = 'delivered';
      CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN ('succeeded', 'failed', 'interrupted');
      CREATE TABLE queue_depth (
        command TEXT PRIMARY KEY,
        queued INTEGER NOT NULL
      );
      INSERT INTO queue_depth (command, queued) SELECT command, COUNT(*) FROM jobs WHERE state = 'queued' GROUP BY command;
      """,
      // 6: lanes balanced across nodes: a node below its fair share asks for a lane (wanted_by), and
      // the node above its share hands it over at its next renewal
      """
      ALTER TABLE lane_leases ADD COLUMN wanted_by TEXT;
      """);

  private PgSchema() {}
}
