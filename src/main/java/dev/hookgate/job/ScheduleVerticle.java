package dev.hookgate.job;

import dev.hookgate.Services;
import dev.hookgate.config.ScheduleConfig;
import dev.hookgate.config.Schedules;
import dev.hookgate.store.NewJob;
import com.cronutils.model.time.ExecutionTime;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the configured schedules: at each cron time a job is queued (and the time recorded in the
 * same transaction, so that a schedule never fires twice for one time). Runs missed while the
 * gateway was stopped are made up at start, at most {@code catch-up} of them (the latest), never a
 * burst. Follows config reloads. One instance, on an event loop; time from the injected clock.
 */
public final class ScheduleVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleVerticle.class);
  private static final long RECONCILE_MS = 2000;

  private final Services services;
  private final Map<String, ScheduleConfig> armed = new HashMap<>();
  private final Map<String, Long> timers = new HashMap<>();

  public ScheduleVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    reconcile(true);
    vertx.setPeriodic(RECONCILE_MS, id -> reconcile(false));
    return Future.succeededFuture();
  }

  /** Arms new or changed schedules, disarms removed ones. */
  private void reconcile(boolean startup) {
    Map<String, ScheduleConfig> current = services.config().schedules();
    for (String name : List.copyOf(armed.keySet())) {
      if (!armed.get(name).equals(current.get(name))) {
        Long timer = timers.remove(name);
        if (timer != null) {
          vertx.cancelTimer(timer);
        }
        armed.remove(name);
      }
    }
    current.values().stream().filter(s -> !armed.containsKey(s.name())).forEach(s -> arm(s, startup));
  }

  private void arm(ScheduleConfig s, boolean startup) {
    armed.put(s.name(), s);
    ExecutionTime cron = Schedules.executionTime(s.cron()); // parsed once per armed schedule
    services.jobQueue().lastScheduledRun(s.name()).onSuccess(last -> {
      long now = services.now();
      if (startup && last.isPresent()) {
        catchUp(s, cron, last.get(), now);
      }
      next(s, cron, now);
    }).onFailure(e -> {
      LOG.error("schedule {}: cannot read its last run, trying again: {}", s.name(), e.getMessage());
      armed.remove(s.name()); // the next reconcile arms it again
    });
  }

  private void catchUp(ScheduleConfig s, ExecutionTime cron, long last, long now) {
    List<Long> missed = Schedules.missed(cron, s.zone(), last, now, s.catchUp());
    if (!missed.isEmpty()) {
      LOG.info("schedule {}: making up {} missed run(s)", s.name(), missed.size());
    }
    missed.forEach(at -> fire(s, at));
  }

  private void next(ScheduleConfig s, ExecutionTime cron, long after) {
    Optional<Long> at = Schedules.next(cron, s.zone(), after);
    if (at.isEmpty() || armed.get(s.name()) != s) {
      return;
    }
    long delay = Math.max(1, at.get() - services.now());
    timers.put(s.name(), vertx.setTimer(delay, id -> {
      if (armed.get(s.name()) == s) {
        fire(s, at.get());
        next(s, cron, at.get());
      }
    }));
  }

  private void fire(ScheduleConfig s, long at) {
    long now = services.now();
    String firedAt = Instant.ofEpochMilli(at).toString();
    NewJob job = new NewJob(JobIds.next(now), s.job().name(), Map.of("schedule", s.name(), "fired_at", firedAt),
        "", now);
    services.jobQueue().enqueueScheduledJob(job, s.name(), at).onSuccess(queued -> {
      if (queued) {
        LOG.info("job {} schedule={} queued for {}", job.id(), s.name(), firedAt);
      }
    }).onFailure(e -> LOG.error("schedule {}: cannot queue its job: {}", s.name(), e.getMessage()));
  }
}
