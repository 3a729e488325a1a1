package dev.hookgate.store;

/** The outcome of queueing a job. */
public sealed interface EnqueueResult {
  record Accepted(String jobId) implements EnqueueResult {}

  record QueueFull(int queued) implements EnqueueResult {}
}
