package dev.hookgate.config;

import java.time.Duration;

/** {@code hooks.<name>}: a relay endpoint {@code /hooks/<key>} that forwards to a destination. */
public record HookConfig(String name, String key, String destination, Duration coalesce) {}
