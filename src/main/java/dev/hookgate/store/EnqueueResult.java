package dev.hookgate.store;

/** The outcome of queueing a job. */
public sealed interface EnqueueResult {
  /** Queued: a worker's claim will take it. */
  record Accepted(String jobId) implements EnqueueResult {}

  /** Stored running, leased to the node that accepted it: that node runs it now (no claim). */
  record Started(JobRecord job) implements EnqueueResult {}

  record QueueFull(int queued) implements EnqueueResult {}
}
