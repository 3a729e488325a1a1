package dev.hookgate.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The job queue on the store engine; every statement is an index seek or a range bounded by the batch. */
final class SqlJobs implements JobQueue {
  private static final String STALE = "(lease_owner IS NULL OR lease_until IS NULL OR lease_until < ? "
      + "OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.node = jobs.lease_owner AND n.seen_at >= ?))";

  private final SqlEngine engine;

  SqlJobs(SqlEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued) {
    return enqueueJob(job, maxQueued, null);
  }

  @Override
  public Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued, Lease lease) {
    return engine.write("enqueueJob", List.of(job.command()), tx -> {
      if (lease != null && queued(tx, job.command()) == 0) {
        // a free slot on the accepting node and nobody waiting ahead: it runs there, unclaimed
        return new EnqueueResult.Started(Rows.insertRunningJob(tx, job, lease));
      }
      // one row per command holds how many wait: taking a place is a seek on it (and, on
      // PostgreSQL, its row lock makes max-queued hold across nodes)
      PreparedStatement take = tx.prepare("INSERT INTO queue_depth(command, queued) SELECT ?, 1 WHERE ? > 0 "
          + "ON CONFLICT(command) DO UPDATE SET queued = queue_depth.queued + 1 WHERE queue_depth.queued < ?");
      take.setString(1, job.command());
      take.setInt(2, maxQueued);
      take.setInt(3, maxQueued);
      if (take.executeUpdate() == 0) {
        return new EnqueueResult.QueueFull(queued(tx, job.command()));
      }
      Rows.insertJob(tx, job);
      return new EnqueueResult.Accepted(job.id());
    });
  }

  /** How many of the command's jobs wait in the queue (a seek on its queue_depth row). */
  private static int queued(Tx tx, String command) throws SQLException {
    PreparedStatement read = tx.prepare("SELECT queued FROM queue_depth WHERE command = ?");
    read.setString(1, command);
    try (ResultSet rs = read.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  @Override
  public Future<Optional<Long>> lastScheduledRun(String schedule) {
    return engine.read(tx -> {
      PreparedStatement ps = tx.prepare("SELECT last_fired_at FROM schedule_runs WHERE name = ?");
      ps.setString(1, schedule);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    });
  }

  @Override
  public Future<Boolean> enqueueScheduledJob(NewJob job, String schedule, long firedAt) {
    return engine.write("enqueueScheduledJob", List.of(job.command()), tx -> {
      PreparedStatement mark = tx.prepare("INSERT INTO schedule_runs(name, last_fired_at) VALUES (?, ?) "
          + "ON CONFLICT(name) DO UPDATE SET last_fired_at = excluded.last_fired_at "
          + "WHERE excluded.last_fired_at > schedule_runs.last_fired_at");
      mark.setString(1, schedule);
      mark.setLong(2, firedAt);
      if (mark.executeUpdate() == 0) {
        return false;
      }
      Rows.insertJob(tx, job);
      Rows.countQueued(tx, job.command(), 1);
      return true;
    });
  }

  @Override
  public Future<List<JobRecord>> claimJobs(Map<String, Integer> capacity, String owner, long now, long leaseUntil) {
    Map<String, Integer> wanted = new HashMap<>();
    capacity.forEach((command, n) -> {
      if (n > 0) {
        wanted.put(command, n);
      }
    });
    if (wanted.isEmpty()) {
      return engine.write("claimJobs", tx -> List.of());
    }
    return engine.write("claimJobs", wanted.keySet(), tx -> {
      List<JobRecord> candidates = new ArrayList<>();
      for (Map.Entry<String, Integer> e : wanted.entrySet()) {
        // two index ranges, each bounded by the capacity: an OR would scan the table
        PreparedStatement expired = tx.prepare("SELECT * FROM jobs WHERE state = 'running' AND command = ? "
            + "AND lease_until < ? ORDER BY created_at, id LIMIT ?" + engine.dialect().skipLocked());
        expired.setString(1, e.getKey());
        expired.setLong(2, now);
        expired.setInt(3, e.getValue());
        int found;
        try (ResultSet rs = expired.executeQuery()) {
          List<JobRecord> js = Rows.jobs(rs);
          candidates.addAll(js);
          found = js.size();
        }
        if (found < e.getValue()) {
          PreparedStatement queued = tx.prepare("SELECT * FROM jobs WHERE state = 'queued' AND command = ? "
              + "ORDER BY created_at, id LIMIT ?" + engine.dialect().skipLocked());
          queued.setString(1, e.getKey());
          queued.setInt(2, e.getValue() - found);
          try (ResultSet rs = queued.executeQuery()) {
            candidates.addAll(Rows.jobs(rs));
          }
        }
      }
      PreparedStatement lease = tx.prepare("UPDATE jobs SET state = 'running', attempts = attempts + 1, "
          + "started_at = ?, lease_owner = ?, lease_until = ?, finished_at = NULL, outcome = NULL "
          + "WHERE id = ? AND (state = 'queued' OR (state = 'running' AND lease_until < ?))");
      for (JobRecord j : candidates) {
        lease.setLong(1, now);
        lease.setString(2, owner);
        lease.setLong(3, leaseUntil);
        lease.setString(4, j.id());
        lease.setLong(5, now);
        lease.addBatch();
      }
      int[] counts = candidates.isEmpty() ? new int[0] : lease.executeBatch();
      List<JobRecord> claimed = new ArrayList<>();
      Map<String, Integer> leftTheQueue = new HashMap<>();
      for (int i = 0; i < candidates.size(); i++) {
        if (counts[i] != 1) {
          continue; // another node took it between the read and the update
        }
        JobRecord j = candidates.get(i);
        if (j.state() == JobState.QUEUED) {
          leftTheQueue.merge(j.command(), 1, Integer::sum);
        }
        claimed.add(new JobRecord(j.id(), j.command(), j.request(), j.responseUrl(), JobState.RUNNING,
            j.attempts() + 1, j.createdAt(), now, null, null));
      }
      for (Map.Entry<String, Integer> e : leftTheQueue.entrySet()) {
        Rows.countQueued(tx, e.getKey(), -e.getValue());
      }
      claimed.sort(Comparator.comparingLong(JobRecord::createdAt).thenComparing(JobRecord::id));
      return claimed;
    });
  }

  @Override
  public Future<Void> finishJob(String jobId, JobState state, String outcome, long now, List<NewDelivery> deliveries) {
    return engine.write("finishJob", tx -> {
      endJob(tx, jobId, state, outcome, now);
      engine.insertDeliveries(tx, deliveries);
      return null;
    });
  }

  @Override
  public Future<FinishedJob> finishJob(String jobId, JobState state, String outcome, long now,
      List<NewDelivery> replies, Lease lease) {
    return engine.write("finishJob", tx -> {
      endJob(tx, jobId, state, outcome, now);
      boolean useTaken = !replies.isEmpty() && replies.get(0).responseUrl() != null
          && SqlResponseUrlBudget.takeUse(tx, jobId, now, ResponseUrlBudget.LIFETIME_MS, ResponseUrlBudget.MAX_USES);
      return new Ended(engine.insertLeasedDeliveries(tx, replies, lease), useTaken);
    }).map(ended -> new FinishedJob(Rows.stored(replies, ended.ids()), ended.useTaken()));
  }

  /** What finishing a job wrote: its replies' ids (known once the transaction ran), the use taken. */
  private record Ended(Tx.Ids ids, boolean useTaken) {}

  private static void endJob(Tx tx, String jobId, JobState state, String outcome, long now) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE jobs SET state = ?, outcome = ?, finished_at = ?, "
        + "lease_owner = NULL, lease_until = NULL WHERE id = ?");
    ps.setString(1, state.dbName());
    ps.setString(2, outcome);
    ps.setLong(3, now);
    ps.setString(4, jobId);
    ps.executeUpdate();
  }

  @Override
  public Future<Void> returnJobs(String owner, Collection<String> jobIds) {
    List<String> ids = List.copyOf(jobIds);
    return engine.write("returnJobs", tx -> {
      PreparedStatement select = tx.prepare("SELECT command FROM jobs WHERE id = ? AND lease_owner = ? AND state = 'running'");
      PreparedStatement back = tx.prepare("UPDATE jobs SET state = 'queued', attempts = attempts - 1, started_at = NULL, "
          + "lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'running'");
      for (String id : ids) {
        select.setString(1, id);
        select.setString(2, owner);
        String command;
        try (ResultSet rs = select.executeQuery()) {
          command = rs.next() ? rs.getString(1) : null;
        }
        if (command == null) {
          continue;
        }
        back.setString(1, id);
        back.setString(2, owner);
        back.executeUpdate();
        Rows.countQueued(tx, command, 1);
      }
      if (!ids.isEmpty()) {
        tx.jobsQueued();
      }
      return null;
    });
  }

  @Override
  public Future<Void> renewJobLeases(String owner, Collection<String> jobIds, long leaseUntil) {
    List<String> ids = List.copyOf(jobIds);
    return engine.write("renewJobLeases", tx -> {
      PreparedStatement ps = tx.prepare(
          "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'running'");
      for (String id : ids) {
        ps.setLong(1, leaseUntil);
        ps.setString(2, id);
        ps.setString(3, owner);
        ps.addBatch();
      }
      if (!ids.isEmpty()) {
        ps.executeBatch();
      }
      return null;
    });
  }

  /** Rebuilds the count of queued jobs per command from the rows (one pass over the queued jobs' index). */
  void recountQueued(Tx tx) throws SQLException {
    tx.prepare("DELETE FROM queue_depth").executeUpdate();
    tx.prepare("INSERT INTO queue_depth(command, queued) SELECT command, COUNT(*) FROM jobs WHERE state = 'queued' "
        + "GROUP BY command").executeUpdate();
  }

  /**
   * Jobs running under no live node go back to the queue, or become interrupted with their notices.
   * On a store one process holds alone, every running job is such (the process that ran it is gone).
   */
  int recoverJobs(Tx tx, long now, long aliveSince, Function<String, Boolean> rerun,
      Function<JobRecord, List<NewDelivery>> notice) throws SQLException {
    PreparedStatement select = tx.prepare("SELECT * FROM jobs WHERE state = 'running' AND " + STALE
        + " ORDER BY created_at, id" + engine.dialect().skipLocked());
    select.setLong(1, now);
    select.setLong(2, aliveSince);
    List<JobRecord> running;
    try (ResultSet rs = select.executeQuery()) {
      running = Rows.jobs(rs);
    }
    PreparedStatement update = tx.prepare("UPDATE jobs SET state = ?, lease_owner = NULL, lease_until = NULL, "
        + "finished_at = ?, outcome = ? WHERE id = ?");
    for (JobRecord j : running) {
      boolean again = rerun.apply(j.command());
      update.setString(1, again ? JobState.QUEUED.dbName() : JobState.INTERRUPTED.dbName());
      if (again) {
        update.setNull(2, Types.BIGINT);
        update.setNull(3, Types.VARCHAR);
      } else {
        update.setLong(2, now);
        update.setString(3, "interrupted by a restart of the gateway");
      }
      update.setString(4, j.id());
      update.executeUpdate();
      if (again) {
        Rows.countQueued(tx, j.command(), 1);
        tx.jobsQueued();
      } else {
        engine.insertDeliveries(tx, notice.apply(j));
      }
    }
    return running.size();
  }
}
