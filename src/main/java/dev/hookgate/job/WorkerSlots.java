package dev.hookgate.job;

import dev.hookgate.config.CommandConfig;
import dev.hookgate.store.JobRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dispatcher's decisions, without Vert.x: at most {@code workers} jobs run at once across all
 * commands and at most each command's {@code concurrency}. A job is claimed only for a free slot;
 * when a claim returns more jobs than slots are free (the store claims per command), the extra
 * ones wait here, in claim order, for the first slot that frees up. Not thread-safe: one owner.
 */
final class WorkerSlots {
  private final Map<String, JobRecord> running = new LinkedHashMap<>();
  private final Deque<JobRecord> waiting = new ArrayDeque<>();
  private final Map<String, Integer> perCommand = new HashMap<>();

  /**
   * What may be claimed now: per command, its free concurrency, at most the free slots; empty
   * when every slot is taken or jobs already wait for one.
   */
  Map<String, Integer> claimable(Collection<CommandConfig> commands, int workers) {
    int free = workers - running.size();
    if (free <= 0 || !waiting.isEmpty()) {
      return Map.of();
    }
    Map<String, Integer> capacity = new HashMap<>();
    for (CommandConfig c : commands) {
      int n = Math.min(free, c.concurrency() - perCommand.getOrDefault(c.name(), 0));
      if (n > 0) {
        capacity.put(c.name(), n);
      }
    }
    return capacity;
  }

  /** Takes the jobs a claim returned; answers those that start now (the others wait for a slot). */
  List<JobRecord> admit(List<JobRecord> claimed, int workers) {
    for (JobRecord job : claimed) {
      perCommand.merge(job.command(), 1, Integer::sum);
      waiting.addLast(job);
    }
    return startable(workers);
  }

  /** A job ended: answers the waiting jobs that take the freed slot. */
  List<JobRecord> release(String jobId, int workers) {
    JobRecord job = running.remove(jobId);
    if (job != null) {
      perCommand.merge(job.command(), -1, Integer::sum);
    }
    return startable(workers);
  }

  private List<JobRecord> startable(int workers) {
    List<JobRecord> start = new ArrayList<>();
    while (!waiting.isEmpty() && running.size() < workers) {
      JobRecord job = waiting.removeFirst();
      running.put(job.id(), job);
      start.add(job);
    }
    return start;
  }

  /** Jobs whose leases this node holds: running and waiting for a slot. */
  Set<String> leased() {
    Set<String> ids = new java.util.LinkedHashSet<>(running.keySet());
    waiting.forEach(j -> ids.add(j.id()));
    return ids;
  }

  int running() {
    return running.size();
  }

  boolean idle() {
    return running.isEmpty() && waiting.isEmpty();
  }
}
