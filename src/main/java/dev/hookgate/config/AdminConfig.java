package dev.hookgate.config;

import java.util.Optional;

/** {@code admin.*}: the admin API is disabled without a token. */
public record AdminConfig(Optional<String> token) {}
