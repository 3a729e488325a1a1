package dev.hookgate.store;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The queue of slash-command jobs: what the command handler, the scheduler and the job runner need. */
public interface JobQueue {

  /**
   * Queues a job unless its command already has {@code maxQueued} jobs waiting. The count of queued
   * jobs is kept as the queue changes (one row per command), never counted on this path.
   */
  Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued);

  /**
   * As {@link #enqueueJob(NewJob, int)}, from a node with a worker slot free for the command: when
   * none of the command's jobs waits in the queue, the job is stored running, leased to that node
   * ({@code lease}), its first attempt, and the result is {@link EnqueueResult.Started}: the node runs
   * it at once, nobody claims it. Otherwise it is queued (or refused) as {@code enqueueJob} does.
   */
  Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued, Lease lease);

  /**
   * Leases queued jobs (and running ones whose lease expired), oldest first, at most
   * {@code capacity.get(command)} per command.
   */
  Future<List<JobRecord>> claimJobs(Map<String, Integer> capacity, String owner, long now, long leaseUntil);

  /** Ends a job and queues its result deliveries (for a claim), in one transaction. */
  Future<Void> finishJob(String jobId, JobState state, String outcome, long now, List<NewDelivery> deliveries);

  /**
   * Ends a job and stores its replies leased to this node ({@code lease}), in one transaction that
   * also takes the first use of the job's response_url when the first reply goes there (within
   * {@link ResponseUrlBudget#MAX_USES} and {@link ResponseUrlBudget#LIFETIME_MS}): the node posts it
   * from memory at once, with no claim and no commit before the post.
   */
  Future<FinishedJob> finishJob(String jobId, JobState state, String outcome, long now, List<NewDelivery> replies,
      Lease lease);

  /**
   * Puts jobs this owner claimed but never started back in the queue as they were (their attempt
   * not counted), e.g. the jobs a stopping node had claimed ahead.
   */
  Future<Void> returnJobs(String owner, Collection<String> jobIds);

  /** Extends the leases of the running jobs this owner still holds. */
  Future<Void> renewJobLeases(String owner, Collection<String> jobIds, long leaseUntil);

  /** When a schedule last fired, if ever. */
  Future<Optional<Long>> lastScheduledRun(String schedule);

  /**
   * Queues a scheduled job and records {@code firedAt} as the schedule's last run, in one
   * transaction; false (and nothing queued) if the schedule already fired at or after that time.
   */
  Future<Boolean> enqueueScheduledJob(NewJob job, String schedule, long firedAt);
}
