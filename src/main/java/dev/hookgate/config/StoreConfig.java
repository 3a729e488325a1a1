package dev.hookgate.config;

import java.time.Duration;

/**
 * {@code store.*}: the durable queue. {@code kind} is {@code sqlite} (embedded, {@code path}) or
 * {@code postgres} (shared by several nodes, {@code postgres.uri}; null with sqlite).
 */
public record StoreConfig(String kind, String path, Duration lease, String postgresUri) {
  public StoreConfig(String kind, String path, Duration lease) {
    this(kind, path, lease, null);
  }
}
