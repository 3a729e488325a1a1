package dev.hookgate.config;

import java.util.Optional;

/** {@code commands.<name>}: a slash command the gateway answers, and the job it runs. */
public record CommandConfig(
    String name,
    Optional<String> token,
    String ack,
    JobSpec job,
    ReplySpec reply,
    int concurrency,
    int maxQueued,
    boolean rerunAfterCrash) {}
