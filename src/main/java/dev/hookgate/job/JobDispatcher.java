package dev.hookgate.job;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.config.Durations;
import dev.hookgate.store.JobRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims queued jobs from the store for free worker slots and gives them to the
 * {@link JobLauncher}; renews the leases of the jobs this node holds (heartbeat). Jobs accepted
 * while a slot was free never come here: they start where they were accepted. So a claim runs only
 * when the store may hold queued jobs (a commit queued some, here or on another node, or a second
 * passed: leases that expired), and stops once a claim finds the queue empty. One instance, on an
 * event loop.
 */
public final class JobDispatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);
  private static final long POLL_MS = 1000;
  /** Claims are at most this often: under load one claim serves many queued jobs. */
  private static final long MIN_CLAIM_INTERVAL_MS = 5;

  private final Services services;
  private final JobLauncher launcher;
  private boolean claiming;
  private boolean again;
  private boolean timerSet;
  private boolean stopping;
  /** Whether the store may hold jobs to claim; false once a claim found fewer than it asked for. */
  private boolean mayHaveQueued = true;
  /** Jobs were queued since the running claim read the queue. */
  private boolean queuedSinceClaim;
  private long lastClaim;

  public JobDispatcher(Services services) {
    this.services = services;
    this.launcher = services.jobs();
  }

  @Override
  public Future<?> start() {
    long lease = services.config().store().lease().toMillis();
    launcher.onSlotFreed(() -> context.runOnContext(v -> pump()));
    vertx.setPeriodic(POLL_MS, id -> queued());
    vertx.setPeriodic(Math.max(1000, lease / 3), id -> heartbeat());
    vertx.setTimer(1, id -> pump());
    return vertx.eventBus().consumer(Addresses.JOBS_READY, m -> queued()).completion();
  }

  /**
   * Stops claiming and lets running jobs finish for up to {@code shutdown.grace}; past it, the
   * job workers (stopped next) kill their processes and the jobs stay leased in the store, to be resumed at the next start.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    launcher.stopping();
    Promise<Void> done = Promise.promise();
    long deadline = services.now() + services.config().shutdown().grace().toMillis();
    if (launcher.running() > 0) {
      LOG.info("waiting up to {} for {} running job(s)", Durations.format(services.config().shutdown().grace()),
          launcher.running());
    }
    awaitRunning(done, deadline);
    // the jobs claimed ahead that never started go back to the queue as they were, not "interrupted"
    return done.future().compose(v -> {
      List<String> waiting = launcher.waiting();
      return waiting.isEmpty() ? Future.succeededFuture()
          : services.jobQueue().returnJobs(services.nodeId(), waiting)
              .onFailure(e -> LOG.warn("giving back {} job(s) claimed ahead failed: {}", waiting.size(), e.getMessage()))
              .otherwiseEmpty();
    });
  }

  private void awaitRunning(Promise<Void> done, long deadline) {
    if (launcher.running() == 0) {
      done.complete();
    } else if (services.now() >= deadline) {
      // the job workers, stopped next, end their processes
      LOG.warn("{} job(s) still running after the grace period: stopped, to resume at the next start: {}",
          launcher.running(), launcher.leased());
      done.complete();
    } else {
      vertx.setTimer(50, t -> awaitRunning(done, deadline));
    }
  }

  /** Jobs may have been queued (or leases expired): claim. */
  private void queued() {
    mayHaveQueued = true;
    queuedSinceClaim = true;
    pump();
  }

  private void pump() {
    if (stopping || !mayHaveQueued) {
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
    Map<String, Integer> capacity = launcher.claimable();
    if (capacity.isEmpty()) {
      return;
    }
    claiming = true;
    again = false;
    queuedSinceClaim = false;
    lastClaim = now;
    services.jobQueue().claimJobs(capacity, services.nodeId(), now, now + services.config().store().lease().toMillis())
        .onComplete(r -> {
          claiming = false;
          if (r.succeeded()) {
            if (!queuedSinceClaim && drained(capacity, r.result())) {
              mayHaveQueued = false; // empty until a commit queues more
            }
            launcher.claimed(r.result());
          } else {
            LOG.error("claiming jobs failed: {}", r.cause().getMessage());
          }
          if (again) {
            again = false;
            pump();
          }
        });
  }

  /** Whether the claim got fewer jobs than it asked for of every command: their queues are empty. */
  private static boolean drained(Map<String, Integer> asked, List<JobRecord> claimed) {
    Map<String, Integer> got = new java.util.HashMap<>();
    claimed.forEach(j -> got.merge(j.command(), 1, Integer::sum));
    return asked.entrySet().stream().allMatch(e -> got.getOrDefault(e.getKey(), 0) < e.getValue());
  }

  private void heartbeat() {
    if (launcher.idle()) {
      return;
    }
    long until = services.now() + services.config().store().lease().toMillis();
    services.jobQueue().renewJobLeases(services.nodeId(), List.copyOf(launcher.leased()), until)
        .onFailure(e -> LOG.error("renewing job leases failed: {}", e.getMessage()));
  }
}
