package dev.hookgate.job;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.delivery.DeliveryHandoff;
import dev.hookgate.store.Lease;
import dev.hookgate.config.CommandConfig;
import dev.hookgate.config.JobSpec;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.protocol.CommandReply;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.JobState;
import dev.hookgate.store.NewDelivery;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import dev.hookgate.outbound.OutboundClient;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed jobs. Deployed as a worker ({@code ThreadingModel.WORKER}), but holds no thread
 * while a job runs: template jobs render at once, http jobs are asynchronous, exec jobs wait for
 * their process's exit asynchronously ({@link ExecJob}). So an instance takes the next job at
 * once; how many run at a time is the dispatcher's decision. The result and its reply deliveries
 * are stored in one transaction before the dispatcher is told the job ended. Stopping ends the
 * processes still running (the jobs are resumed at the next start).
 */
public final class JobVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobVerticle.class);
  static final int MAX_PROGRESS_UPDATES = 3;
  static final long PROGRESS_INTERVAL_MS = 2000;

  private final Services services;
  private OutboundClient client;
  private ExecJob exec;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  public JobVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    client = new OutboundClient(vertx, java.time.Duration.ofSeconds(5), HttpJob.MAX_RESPONSE_BYTES);
    exec = new ExecJob(vertx);
    return vertx.eventBus().<JobRecord>consumer(Addresses.JOBS_RUN, this::onRun).completion();
  }

  /** Ends the processes still running; waits (5 s at most) until their jobs let go. */
  @Override
  public Future<?> stop() {
    exec.killAll();
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long deadline = services.now() + 5000;
    awaitIdle(done, deadline);
    return done.future();
  }

  private void awaitIdle(io.vertx.core.Promise<Void> done, long deadline) {
    if (inFlight.get() == 0 || services.now() >= deadline) {
      done.complete();
    } else {
      vertx.setTimer(20, t -> awaitIdle(done, deadline));
    }
  }

  /**
   * Runs a job; the dispatcher's slot is given back as soon as the job's work has ended (its result
   * is then stored while the slot already serves the next job), or at the latest once it is stored.
   */
  private void onRun(Message<JobRecord> message) {
    inFlight.incrementAndGet();
    java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable freeTheSlot = () -> {
      if (answered.compareAndSet(false, true)) {
        message.reply(null);
      }
    };
    runMessage(message, freeTheSlot).onComplete(r -> {
      inFlight.decrementAndGet();
      freeTheSlot.run();
    });
  }

  private Future<Void> runMessage(Message<JobRecord> message, Runnable workEnded) {
    JobRecord job = message.body();
    CommandConfig command = services.config().runnable(job.command()).orElse(null);
    long started = services.now();
    if (command == null) {
      return finish(job, JobState.FAILED, "command removed from the config", List.of(), started);
    }
    if (Interruption.refused(command, job)) {
      // taken back from a node or a run that stopped, however it came back: not re-run, the user is told
      return finish(job, JobState.INTERRUPTED, Interruption.REASON,
          Interruption.notice(services.config(), job, started), started);
    }
    ProgressPosts progress = progressOf(job);
    return run(command, job, progress)
        .recover(e -> {
          LOG.error("job {} command={} failed with an exception", job.id(), job.command(), e);
          return Future.succeededFuture(new JobResult.Failed("the job could not run: " + e.getClass().getSimpleName()
              + " (logged with the job id)", "", Map.of()));
        })
        .onComplete(r -> workEnded.run())
        .compose(result -> progress.close().map(result))
        .compose(result -> complete(command, job, result, started))
        .onFailure(e -> LOG.error("job {} could not be recorded: {}", job.id(), e.getMessage()));
  }

  private Future<JobResult> run(CommandConfig command, JobRecord job, ProgressPosts progress) {
    Map<String, Object> scope = JobScope.of(job);
    JobSpec spec = command.job();
    try {
      if (spec instanceof JobSpec.Template t) {
        return Future.succeededFuture(TemplateJob.run(t, scope));
      } else if (spec instanceof JobSpec.Exec e) {
        return exec.run(e, scope, job.request().getOrDefault("text", ""), throttled(job, progress));
      } else {
        return HttpJob.run(client, (JobSpec.Http) spec, scope);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Interim ephemeral updates, stored on the job's context (never from the pump thread), before its result. */
  private ProgressPosts progressOf(JobRecord job) {
    return new ProgressPosts(vertx.getOrCreateContext(), text -> {
      long now = services.now();
      NewDelivery update = NewDelivery.toResponseUrl(job.responseUrl(), null, job.id(),
          ChatMessage.text(CommandReply.EPHEMERAL, text), now);
      DeliveryHandoff.Ticket ticket = services.handoff().reserve(update.lane(), 1);
      return services.deliveryQueue().enqueueDeliveries(List.of(update), null, null, 0, lease(ticket, now))
          .onSuccess(q -> ticket.stored(q.leased()))
          .onFailure(e -> {
            ticket.notStored();
            LOG.warn("job {}: a progress update could not be stored: {}", job.id(), e.getMessage());
          });
    });
  }

  /**
   * At most {@link #MAX_PROGRESS_UPDATES} (two of the response_url's five uses stay for the
   * result), one per {@link #PROGRESS_INTERVAL_MS}.
   */
  private ProgressReporter throttled(JobRecord job, ProgressPosts progress) {
    return new ProgressReporter(job.responseUrl().isEmpty() ? 0 : MAX_PROGRESS_UPDATES, PROGRESS_INTERVAL_MS,
        services::now, progress::send);
  }

  private Future<Void> complete(CommandConfig command, JobRecord job, JobResult result, long started) {
    if (result instanceof JobResult.Interrupted) {
      LOG.info("job {} command={} interrupted by the shutdown: left to resume at the next start", job.id(),
          job.command());
      return Future.succeededFuture();
    }
    int maxChars = services.config().responseUrl().maxPostChars();
    long now = services.now();
    Map<String, Object> scope = JobScope.with(JobScope.of(job), result.values());
    scope.put("duration_ms", String.valueOf(now - started));
    if (result instanceof JobResult.Failed f) {
      return finish(job, JobState.FAILED, f.reason(),
          Replies.failure(command, job, f.reason(), f.detail(), maxChars, now), started);
    }
    String notice = result instanceof JobResult.Succeeded s ? s.notice() : "";
    List<NewDelivery> replies;
    try {
      replies = Replies.success(command, job, scope, notice, maxChars, now);
    } catch (RuntimeException e) {
      String reason = "the reply template failed: " + e.getMessage();
      return finish(job, JobState.FAILED, reason, Replies.failure(command, job, reason, "", maxChars, now), started);
    }
    return finish(job, JobState.SUCCEEDED, notice.isEmpty() ? "ok" : "ok; " + notice, replies, started);
  }

  /**
   * Stores the job's end with its replies. Where their lane can take them from memory, they are
   * stored leased to this node, the first taking its response_url use in the same transaction, and
   * handed to the delivery engine at once: no claim, no commit before the first post.
   */
  private Future<Void> finish(JobRecord job, JobState state, String outcome, List<NewDelivery> replies,
      long started) {
    long now = services.now();
    return store(job, state, outcome, replies, now).onSuccess(v -> {
      services.metrics().job(job.command(), state.dbName(), java.time.Duration.ofMillis(now - started));
      LOG.info("job {} command={} {} in {} ms: {} ({} post(s))", job.id(), job.command(),
          state.dbName(), now - started, outcome, replies.size());
    });
  }

  private Future<Void> store(JobRecord job, JobState state, String outcome, List<NewDelivery> replies, long now) {
    if (replies.isEmpty()) {
      return services.jobQueue().finishJob(job.id(), state, outcome, now, replies);
    }
    DeliveryHandoff.Ticket ticket = services.handoff().reserve(replies.get(0).lane(), replies.size());
    Future<Void> stored = ticket.leased()
        ? services.jobQueue().finishJob(job.id(), state, outcome, now, replies, lease(ticket, now))
            .map(f -> {
              ticket.stored(f.replies(), f.firstUseTaken());
              return null;
            })
        : services.jobQueue().finishJob(job.id(), state, outcome, now, replies).onSuccess(v -> ticket.stored(List.of()));
    return stored.onFailure(e -> ticket.notStored());
  }

  /** The lease of work stored for this node to send from memory; null when it goes to a claim. */
  private Lease lease(DeliveryHandoff.Ticket ticket, long now) {
    return ticket.leased() ? new Lease(services.nodeId(), now + services.config().store().lease().toMillis()) : null;
  }
}
