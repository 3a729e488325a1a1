package dev.hookgate.store;

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
      """,
      // 5: one engine with PostgreSQL (lane leases, the node that queued a reply); flat cost per
      // message: claims read only pending rows by id, retention reads only what it deletes, the count
      // of queued jobs per command is kept as the queue changes (max-queued never counts rows)
      """
      CREATE INDEX deliveries_pending_id ON deliveries(id) WHERE state = 'pending';
      CREATE INDEX deliveries_by_job ON deliveries(job_id) WHERE job_id IS NOT NULL;
      CREATE INDEX deliveries_delivered ON deliveries(delivered_at) WHERE state = 'delivered';
      CREATE INDEX jobs_created ON jobs(created_at);
      CREATE INDEX jobs_finished ON jobs(finished_at) WHERE state IN ('succeeded', 'failed', 'interrupted');
      CREATE TABLE queue_depth (
        command TEXT PRIMARY KEY,
        queued INTEGER NOT NULL
      );
      INSERT INTO queue_depth(command, queued) SELECT command, COUNT(*) FROM jobs WHERE state = 'queued' GROUP BY command;
      CREATE TABLE lane_leases (
        lane TEXT PRIMARY KEY,
        owner TEXT,
        lease_until INTEGER NOT NULL DEFAULT 0,
        paused_until INTEGER NOT NULL DEFAULT 0
      );
      ALTER TABLE deliveries ADD COLUMN node TEXT;
      CREATE INDEX deliveries_pending_replies ON deliveries(node, id) WHERE state = 'pending' AND lane NOT LIKE 'dest:%'
      """);

  private SqliteSchema() {}
}
