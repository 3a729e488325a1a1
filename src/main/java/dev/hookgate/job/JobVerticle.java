package dev.hookgate.job;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
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
import io.vertx.core.json.JsonObject;
import dev.hookgate.outbound.OutboundClient;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed jobs. Deployed as a worker ({@code ThreadingModel.WORKER}): exec and template jobs
 * block their thread, never an event loop. The result and its reply deliveries are stored in one
 * transaction before the dispatcher is told the job ended.
 */
public final class JobVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobVerticle.class);
  static final int MAX_PROGRESS_UPDATES = 3;
  static final long PROGRESS_INTERVAL_MS = 2000;

  private final Services services;
  private OutboundClient client;

  public JobVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    client = new OutboundClient(vertx, java.time.Duration.ofSeconds(5), HttpJob.MAX_RESPONSE_BYTES);
    return vertx.eventBus().<JsonObject>consumer(Addresses.JOBS_RUN, this::onRun).completion();
  }

  private void onRun(Message<JsonObject> message) {
    JobRecord job = JobMessages.decode(message.body());
    CommandConfig command = services.config().runnable(job.command()).orElse(null);
    long started = services.now();
    if (command == null) {
      finish(job, JobState.FAILED, "command removed from the config", List.of(), started)
          .onComplete(r -> message.reply(null));
      return;
    }
    if (job.attempts() > 1 && !command.rerunAfterCrash()) {
      // taken back from a node or a run that stopped, however it came back: not re-run, the user is told
      String reason = "it was interrupted (the gateway running it stopped) and is not re-run (rerun-after-crash: false)";
      finish(job, JobState.INTERRUPTED, reason, Replies.failure(command, job, reason, "",
              services.config().responseUrl().maxPostChars(), started), started)
          .onComplete(r -> message.reply(null));
      return;
    }
    run(command, job)
        .recover(e -> Future.succeededFuture(new JobResult.Failed("internal error: " + e.getClass().getSimpleName(),
            "", Map.of())))
        .compose(result -> complete(command, job, result, started))
        .onComplete(r -> {
          if (r.failed()) {
            LOG.error("job {} could not be recorded: {}", job.id(), r.cause().getMessage());
          }
          message.reply(null);
        });
  }

  private Future<JobResult> run(CommandConfig command, JobRecord job) {
    Map<String, Object> scope = JobScope.of(job);
    JobSpec spec = command.job();
    try {
      if (spec instanceof JobSpec.Template t) {
        return Future.succeededFuture(TemplateJob.run(t, scope));
      } else if (spec instanceof JobSpec.Exec e) {
        return Future.succeededFuture(ExecJob.run(e, scope, job.request().getOrDefault("text", ""),
            progressOf(job)));
      } else {
        return HttpJob.run(client, (JobSpec.Http) spec, scope);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      return Future.succeededFuture(new JobResult.Failed("the job could not run: " + e.getMessage(), "", Map.of()));
    }
  }

  /**
   * Interim ephemeral updates through the job's response_url: at most {@link #MAX_PROGRESS_UPDATES}
   * (two of its five uses stay for the result), one per {@link #PROGRESS_INTERVAL_MS}.
   */
  private ProgressReporter progressOf(JobRecord job) {
    return new ProgressReporter(job.responseUrl().isEmpty() ? 0 : MAX_PROGRESS_UPDATES, PROGRESS_INTERVAL_MS,
        services::now, text -> {
          long now = services.now();
          NewDelivery update = NewDelivery.toResponseUrl(job.responseUrl(), null, job.id(),
              ChatMessage.text(CommandReply.EPHEMERAL, text), now);
          services.store().enqueueDeliveries(List.of(update), null, null, 0)
              .onSuccess(v -> vertx.eventBus().publish(Addresses.DELIVERIES_READY, null));
        });
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
    List<NewDelivery> replies;
    try {
      replies = Replies.success(command, job, scope, maxChars, now);
    } catch (RuntimeException e) {
      String reason = "the reply template failed: " + e.getMessage();
      return finish(job, JobState.FAILED, reason, Replies.failure(command, job, reason, "", maxChars, now), started);
    }
    return finish(job, JobState.SUCCEEDED, "ok", replies, started);
  }

  private Future<Void> finish(JobRecord job, JobState state, String outcome, List<NewDelivery> deliveries,
      long started) {
    long now = services.now();
    return services.store().finishJob(job.id(), state, outcome, now, deliveries).onSuccess(v -> {
      services.metrics().job(job.command(), state.dbName(), java.time.Duration.ofMillis(now - started));
      LOG.info("job {} command={} {} in {} ms: {} ({} post(s))", job.id(), job.command(),
          state.dbName(), now - started, outcome, deliveries.size());
      if (!deliveries.isEmpty()) {
        vertx.eventBus().publish(Addresses.DELIVERIES_READY, null);
      }
    });
  }
}
