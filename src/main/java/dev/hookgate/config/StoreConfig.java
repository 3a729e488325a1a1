package dev.hookgate.config;

import java.time.Duration;

/** {@code store.*}: the durable queue. {@code kind} is {@code sqlite} (embedded). */
public record StoreConfig(String kind, String path, Duration lease) {}
