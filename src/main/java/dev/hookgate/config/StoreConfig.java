package dev.hookgate.config;

import java.time.Duration;

/**
 * {@code store.*}: the durable queue. {@code kind} is {@code sqlite} (embedded, {@code path}) or
 * {@code postgres} (shared by several nodes, {@code postgres.uri}; null with sqlite).
 * {@code sqliteSynchronous} is SQLite's {@code synchronous} pragma: {@code full} (the default: a
 * commit survives a power loss) or {@code normal} (faster; survives a crash of the process, not of
 * the machine). {@code retention}: delivered messages and finished jobs older than this are purged.
 * {@code postgresWriters} ({@code postgres.writers}): write connections of a node on PostgreSQL,
 * each group-committing (SQLite has one).
 */
public record StoreConfig(String kind, String path, Duration lease, String postgresUri, String sqliteSynchronous,
    Duration retention, int postgresWriters) {
  /** Write connections of a node on PostgreSQL: a few transactions in flight, each a group commit. */
  public static final int DEFAULT_POSTGRES_WRITERS = 3;

  /** How long delivered messages and finished jobs are kept (then purged); zero keeps them forever. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  public StoreConfig(String kind, String path, Duration lease, String postgresUri, String sqliteSynchronous,
      Duration retention) {
    this(kind, path, lease, postgresUri, sqliteSynchronous, retention, DEFAULT_POSTGRES_WRITERS);
  }

  public StoreConfig(String kind, String path, Duration lease) {
    this(kind, path, lease, null, "full", DEFAULT_RETENTION, DEFAULT_POSTGRES_WRITERS);
  }

  public StoreConfig(String kind, String path, Duration lease, String postgresUri) {
    this(kind, path, lease, postgresUri, "full", DEFAULT_RETENTION, DEFAULT_POSTGRES_WRITERS);
  }
}
