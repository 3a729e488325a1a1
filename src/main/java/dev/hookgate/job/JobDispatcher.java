package dev.hookgate.job;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.store.JobRecord;
import dev.hookgate.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims queued jobs from the store for free worker slots ({@code jobs.worker-instances} at once,
 * each command within its concurrency; see {@link WorkerSlots}), hands them to the job workers,
 * and renews the leases of those it holds (heartbeat). A worker never holds its thread while a
 * job runs, so a job handed over starts at once. One instance, on an event loop.
 */
public final class JobDispatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);
  private static final long POLL_MS = 1000;
  private static final long NO_DEADLINE_MS = 7L * 24 * 3_600_000;
  /** Claims are at most this often: under load one claim serves many queued jobs. */
  private static final long MIN_CLAIM_INTERVAL_MS = 5;

  private final Services services;
  private final WorkerSlots slots = new WorkerSlots();
  private boolean claiming;
  private boolean again;
  private boolean timerSet;
  private boolean stopping;
  private long lastClaim;

  public JobDispatcher(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    long lease = services.config().store().lease().toMillis();
    vertx.setPeriodic(POLL_MS, id -> pump());
    vertx.setPeriodic(Math.max(1000, lease / 3), id -> heartbeat());
    vertx.setTimer(1, id -> pump());
    return vertx.eventBus().consumer(Addresses.JOBS_READY, m -> pump()).completion();
  }

  /**
   * Stops claiming and lets running jobs finish for up to {@code shutdown.grace}; past it, the
   * job workers (stopped next) kill their processes and the jobs stay leased in the store, to be resumed at the next start.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    Promise<Void> done = Promise.promise();
    long deadline = services.now() + services.config().shutdown().grace().toMillis();
    if (slots.running() > 0) {
      LOG.info("waiting up to {} for {} running job(s)", Durations.format(services.config().shutdown().grace()),
          slots.running());
    }
    awaitRunning(done, deadline);
    // the jobs claimed ahead that never started go back to the queue as they were, not "interrupted"
    return done.future().compose(v -> {
      List<String> waiting = slots.waiting();
      return waiting.isEmpty() ? Future.succeededFuture()
          : services.jobQueue().returnJobs(services.nodeId(), waiting)
              .onFailure(e -> LOG.warn("giving back {} job(s) claimed ahead failed: {}", waiting.size(), e.getMessage()))
              .otherwiseEmpty();
    });
  }

  private void awaitRunning(Promise<Void> done, long deadline) {
    if (slots.running() == 0) {
      done.complete();
    } else if (services.now() >= deadline) {
      // the job workers, stopped next, end their processes
      LOG.warn("{} job(s) still running after the grace period: stopped, to resume at the next start: {}",
          slots.running(), slots.leased());
      done.complete();
    } else {
      vertx.setTimer(50, t -> awaitRunning(done, deadline));
    }
  }

  private void pump() {
    if (stopping) {
      return;
    }
    long now = services.now();
    if (claiming || now - lastClaim < MIN_CLAIM_INTERVAL_MS) {
      again = true;
      if (!claiming && !timerSet) {
        timerSet = true;
        vertx.setTimer(MIN_CLAIM_INTERVAL_MS, id -> {
          timerSet = false;
          pump();
        });
      }
      return;
    }
    Map<String, Integer> capacity = slots.claimable(services.config().runnables(), workers());
    if (capacity.isEmpty()) {
      return;
    }
    claiming = true;
    again = false;
    lastClaim = now;
    services.jobQueue().claimJobs(capacity, services.nodeId(), now, now + services.config().store().lease().toMillis())
        .onComplete(r -> {
          claiming = false;
          if (r.succeeded()) {
            slots.admit(r.result(), services.config().runnables(), workers()).forEach(this::dispatch);
          } else {
            LOG.error("claiming jobs failed: {}", r.cause().getMessage());
          }
          if (again) {
            again = false;
            pump();
          }
        });
  }

  private int workers() {
    return services.config().jobs().workerInstances();
  }

  private void dispatch(JobRecord job) {
    LOG.info("job {} command={} started (attempt {})", job.id(), job.command(), job.attempts());
    // no reply deadline of its own: the job's own timeout bounds it; meanwhile its lease is renewed,
    // so no other claim takes it
    vertx.eventBus().request(Addresses.JOBS_RUN, JobMessages.encode(job),
            new DeliveryOptions().setSendTimeout(NO_DEADLINE_MS))
        .onComplete(r -> {
          if (r.failed()) {
            LOG.warn("job {} got no answer from its worker: {}; its lease will expire", job.id(), r.cause().getMessage());
          }
          if (!stopping) {
            slots.release(job.id(), services.config().runnables(), workers()).forEach(this::dispatch);
            pump();
          } else {
            slots.release(job.id(), services.config().runnables(), 0);
          }
        });
  }

  private void heartbeat() {
    if (slots.idle()) {
      return;
    }
    long until = services.now() + services.config().store().lease().toMillis();
    services.jobQueue().renewJobLeases(services.nodeId(), List.copyOf(slots.leased()), until)
        .onFailure(e -> LOG.error("renewing job leases failed: {}", e.getMessage()));
  }
}
