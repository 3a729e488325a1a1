package dev.hookgate.config;

import java.time.Duration;

/** {@code shutdown.*}: on SIGTERM, how long running jobs may take to finish before they are left for the next start. */
public record ShutdownConfig(Duration grace) {}
