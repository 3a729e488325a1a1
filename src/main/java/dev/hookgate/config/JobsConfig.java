package dev.hookgate.config;

/** {@code jobs.*}: how many worker verticles run jobs, on how many threads. */
public record JobsConfig(int workerInstances, int workerPoolSize) {}
