package dev.hookgate.job;

import dev.hookgate.config.CommandConfig;
import dev.hookgate.config.JobSpec;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.JobState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dispatcher's decisions, without Vert.x: at most {@code workers} jobs run at once across all
 * commands, and at most each command's {@code concurrency}. A job waits only while every slot is
 * busy or its command's concurrency is reached, and then takes the first slot that frees up.
 *
 * <p>So that a freed slot never waits for a claim (a commit) before its next job, the dispatcher
 * claims ahead: up to {@code workers} jobs more than run, and per command up to its concurrency more
 * than run. Those wait here, in claim order (their leases renewed), and start the moment a slot and
 * their command allow; a job whose command is at its concurrency does not hold back the others
 * behind it. Commands with {@code rerun-after-crash: false} are not claimed ahead (a claimed job
 * whose node dies is taken for interrupted).
 *
 * <p>A job accepted on this node takes a slot at once when one is free ({@link #reserve}): it is
 * then stored running, leased to this node, and starts from memory with no claim.
 *
 * <p>A slot bounds running work (a process, an HTTP call). A template job renders at once: it takes
 * no slot and no concurrency, so it never waits for a slot or a claim, unless jobs of its command
 * already wait in the queue (it goes behind them). Thread-safe: the HTTP event loops reserve, the
 * dispatcher claims, the workers' answers release.
 */
final class WorkerSlots {
  /** Jobs holding a worker slot. */
  private final Map<String, JobRecord> running = new LinkedHashMap<>();
  /** Template jobs rendering: no slot. */
  private final Map<String, JobRecord> instant = new LinkedHashMap<>();
  private final List<JobRecord> waiting = new ArrayList<>();
  private final Map<String, Integer> runningPerCommand = new HashMap<>();
  /** Running and waiting, per command (jobs that take a slot). */
  private final Map<String, Integer> heldPerCommand = new HashMap<>();

  /** A template job takes no slot: it renders at once. */
  static boolean instant(CommandConfig command) {
    return command.job() instanceof JobSpec.Template;
  }

  /**
   * What may be claimed now, per command: the room left for jobs running or waiting to run (at most
   * {@code workers} waiting in all, at most its concurrency waiting per command); a batch of
   * {@code workers} for a template command (they start at once); empty when there is none.
   */
  synchronized Map<String, Integer> claimable(Collection<CommandConfig> commands, int workers) {
    int room = 2 * workers - running.size() - waiting.size();
    int freeSlots = workers - running.size() - waiting.size();
    Map<String, Integer> capacity = new HashMap<>();
    for (CommandConfig c : commands) {
      int held = heldPerCommand.getOrDefault(c.name(), 0);
      // a job claimed counts as started if its node dies: a command whose jobs are not re-run after
      // a crash claims only what starts at once, so that none is reported interrupted unstarted
      int n = instant(c) ? workers
          : c.rerunAfterCrash() ? Math.min(room, 2 * c.concurrency() - held)
          : Math.min(freeSlots, c.concurrency() - held);
      if (n > 0) {
        capacity.put(c.name(), n);
      }
    }
    return capacity;
  }

  /**
   * A job just accepted starts now if it can: a template job unless jobs of its command wait ahead;
   * another if a slot is free for it (fewer than {@code workers} jobs run, fewer than its
   * concurrency) and none of its jobs claimed ahead waits (those go first). It is held under its id
   * until {@link #started} or {@link #release}.
   */
  synchronized boolean reserve(String jobId, CommandConfig command, int workers) {
    String name = command.name();
    if (waiting.stream().anyMatch(j -> j.command().equals(name))) {
      return false;
    }
    JobRecord placeholder = new JobRecord(jobId, name, Map.of(), "", JobState.RUNNING, 1, 0, null, null, null);
    if (instant(command)) {
      instant.put(jobId, placeholder);
      return true;
    }
    if (running.size() >= workers || runningPerCommand.getOrDefault(name, 0) >= command.concurrency()) {
      return false;
    }
    running.put(jobId, placeholder);
    runningPerCommand.merge(name, 1, Integer::sum);
    heldPerCommand.merge(name, 1, Integer::sum);
    return true;
  }

  /** The reserved job is stored, leased to this node: it now holds its place. */
  synchronized void started(JobRecord job) {
    if (running.replace(job.id(), job) == null) {
      instant.replace(job.id(), job);
    }
  }

  /**
   * Takes the jobs a claim returned; answers those that start now (template jobs, and those a slot
   * allows), the others wait for a slot.
   */
  synchronized List<JobRecord> admit(List<JobRecord> claimed, Collection<CommandConfig> commands, int workers) {
    Map<String, CommandConfig> byName = byName(commands);
    List<JobRecord> start = new ArrayList<>();
    for (JobRecord job : claimed) {
      CommandConfig c = byName.get(job.command());
      if (c != null && instant(c)) {
        instant.put(job.id(), job);
        start.add(job);
      } else {
        heldPerCommand.merge(job.command(), 1, Integer::sum);
        waiting.add(job);
      }
    }
    start.addAll(startable(byName, workers));
    return start;
  }

  /** A job ended: answers the waiting jobs that take the freed slot. */
  synchronized List<JobRecord> release(String jobId, Collection<CommandConfig> commands, int workers) {
    if (instant.remove(jobId) != null) {
      return List.of();
    }
    JobRecord job = running.remove(jobId);
    if (job != null) {
      runningPerCommand.merge(job.command(), -1, Integer::sum);
      heldPerCommand.merge(job.command(), -1, Integer::sum);
    }
    return startable(byName(commands), workers);
  }

  private static Map<String, CommandConfig> byName(Collection<CommandConfig> commands) {
    Map<String, CommandConfig> byName = new HashMap<>();
    commands.forEach(c -> byName.put(c.name(), c));
    return byName;
  }

  /** In claim order, the waiting jobs that a free slot and their command's concurrency allow. */
  private List<JobRecord> startable(Map<String, CommandConfig> commands, int workers) {
    List<JobRecord> start = new ArrayList<>();
    for (Iterator<JobRecord> it = waiting.iterator(); it.hasNext() && running.size() < workers; ) {
      JobRecord job = it.next();
      // a command no longer configured still runs (its worker reports it); it takes one slot at a time
      CommandConfig c = commands.get(job.command());
      int limit = c == null ? 1 : c.concurrency();
      if (runningPerCommand.getOrDefault(job.command(), 0) >= limit) {
        continue;
      }
      it.remove();
      running.put(job.id(), job);
      runningPerCommand.merge(job.command(), 1, Integer::sum);
      start.add(job);
    }
    return start;
  }

  /** Jobs whose leases this node holds: running and waiting for a slot. */
  synchronized Set<String> leased() {
    Set<String> ids = new LinkedHashSet<>(running.keySet());
    ids.addAll(instant.keySet());
    waiting.forEach(j -> ids.add(j.id()));
    return ids;
  }

  /** The jobs claimed ahead that have not started, in claim order. */
  synchronized List<String> waiting() {
    return waiting.stream().map(JobRecord::id).toList();
  }

  /** Jobs running, with or without a slot. */
  synchronized int running() {
    return running.size() + instant.size();
  }

  synchronized boolean idle() {
    return running.isEmpty() && instant.isEmpty() && waiting.isEmpty();
  }
}
