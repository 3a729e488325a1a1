package dev.hookgate.job;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.config.CommandConfig;
import dev.hookgate.store.JobRecord;
import dev.hookgate.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims queued jobs from the store within each command's concurrency limit, hands them to the
 * job workers, and renews the leases of those running (heartbeat). One instance, on an event loop.
 */
public final class JobDispatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);
  private static final long POLL_MS = 1000;
  private static final long NO_DEADLINE_MS = 7L * 24 * 3_600_000;
  /** Claims are at most this often: under load one claim serves many queued jobs. */
  private static final long MIN_CLAIM_INTERVAL_MS = 5;

  private final Services services;
  private final Map<String, Integer> running = new HashMap<>();
  private final Set<String> runningIds = new HashSet<>();
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
   * Stops claiming and lets running jobs finish for up to {@code shutdown.grace}; past it, their
   * processes are killed and the jobs stay leased in the store, to be resumed at the next start.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    Promise<Void> done = Promise.promise();
    long deadline = services.now() + services.config().shutdown().grace().toMillis();
    if (!runningIds.isEmpty()) {
      LOG.info("waiting up to {} for {} running job(s)", Durations.format(services.config().shutdown().grace()),
          runningIds.size());
    }
    awaitRunning(done, deadline);
    return done.future();
  }

  private void awaitRunning(Promise<Void> done, long deadline) {
    if (runningIds.isEmpty()) {
      done.complete();
    } else if (services.now() >= deadline) {
      LOG.warn("{} job(s) still running after the grace period: stopped, to resume at the next start: {}",
          runningIds.size(), runningIds);
      ExecJob.killAll();
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
    Map<String, Integer> capacity = new HashMap<>();
    for (CommandConfig c : services.config().runnables()) {
      int free = c.concurrency() - running.getOrDefault(c.name(), 0);
      if (free > 0) {
        capacity.put(c.name(), free);
      }
    }
    if (capacity.isEmpty()) {
      return;
    }
    claiming = true;
    again = false;
    lastClaim = now;
    services.store().claimJobs(capacity, services.nodeId(), now, now + services.config().store().lease().toMillis())
        .onComplete(r -> {
          claiming = false;
          if (r.succeeded()) {
            r.result().forEach(this::dispatch);
          } else {
            LOG.error("claiming jobs failed: {}", r.cause().getMessage());
          }
          if (again) {
            again = false;
            pump();
          }
        });
  }

  private void dispatch(JobRecord job) {
    running.merge(job.command(), 1, Integer::sum);
    runningIds.add(job.id());
    LOG.info("job {} command={} started (attempt {})", job.id(), job.command(), job.attempts());
    // no reply deadline of its own: a job may wait for a free worker, and its own timeout bounds it;
    // meanwhile its lease is renewed, so no other claim takes it
    vertx.eventBus().request(Addresses.JOBS_RUN, JobMessages.encode(job),
            new DeliveryOptions().setSendTimeout(NO_DEADLINE_MS))
        .onComplete(r -> {
          running.merge(job.command(), -1, Integer::sum);
          runningIds.remove(job.id());
          if (r.failed()) {
            LOG.warn("job {} got no answer from its worker: {}; its lease will expire", job.id(), r.cause().getMessage());
          }
          pump();
        });
  }

  private void heartbeat() {
    if (runningIds.isEmpty()) {
      return;
    }
    long until = services.now() + services.config().store().lease().toMillis();
    services.store().renewLeases(services.nodeId(), List.copyOf(runningIds), List.of(), until)
        .onFailure(e -> LOG.error("renewing job leases failed: {}", e.getMessage()));
  }
}
