package dev.hookgate.store;

import dev.hookgate.protocol.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The embedded store: one SQLite file in WAL mode, {@code synchronous=FULL} (or NORMAL), one writer thread with
 * group commit ({@link SqlWriter}). JDBC never runs on an event loop.
 */
public final class SqliteStore implements Store {

  private final Vertx vertx;
  private final Path path;
  private final String synchronous;
  private SqlWriter writer;
  private static final long IDEMPOTENCY_PURGE_EVERY_MS = 60_000;
  /** Writer thread only. */
  private long lastIdempotencyPurge;
  /** Prepared once, reused: only the writer thread touches the connection and this cache. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  public SqliteStore(Vertx vertx, Path path) {
    this(vertx, path, "full");
  }

  /** {@code synchronous}: {@code full} or {@code normal} (see StoreConfig). */
  public SqliteStore(Vertx vertx, Path path, String synchronous) {
    this.vertx = vertx;
    this.path = path;
    this.synchronous = synchronous.equals("normal") ? "NORMAL" : "FULL";
  }

  @Override
  public Future<Void> open() {
    return vertx.executeBlocking(() -> {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=" + synchronous);
        st.execute("PRAGMA busy_timeout=5000");
      }
      c.setAutoCommit(false);
      SqliteSchema.migrate(c);
      writer = new SqlWriter(vertx, c, "hookgate-store-writer");
      return null;
    });
  }

  @Override
  public Future<Void> close() {
    if (writer == null) {
      return Future.succeededFuture();
    }
    SqlWriter w = writer;
    return vertx.executeBlocking(() -> {
      w.close();
      return null;
    });
  }

  @Override
  public Future<Integer> purgeFinished(long before) {
    return writer.submit("purgeFinished", c -> {
      PreparedStatement deliveries = stmt(c, "DELETE FROM deliveries WHERE state = 'delivered' AND delivered_at < ?");
      deliveries.setLong(1, before);
      int n = deliveries.executeUpdate();
      PreparedStatement jobs = stmt(c, "DELETE FROM jobs WHERE state IN ('succeeded', 'failed', 'interrupted') "
          + "AND finished_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.job_id = jobs.id "
          + "AND d.state <> 'delivered')");
      jobs.setLong(1, before);
      return n + jobs.executeUpdate();
    });
  }

  @Override
  public Future<Void> ping(String node, long now) {
    return writer.submit("ping", c -> {
      {
        PreparedStatement ps = stmt(c,
          "INSERT INTO nodes(node, seen_at) VALUES (?, ?) ON CONFLICT(node) DO UPDATE SET seen_at = excluded.seen_at");
        ps.setString(1, node);
        ps.setLong(2, now);
        ps.executeUpdate();
      }
      return null;
    });
  }

  // ---------------------------------------------------------------- jobs

  @Override
  public Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued) {
    return writer.submit("enqueueJob", c -> {
      int queued;
      {
        PreparedStatement ps = stmt(c,
          "SELECT COUNT(*) FROM jobs WHERE command = ? AND state = 'queued'");
        ps.setString(1, job.command());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          queued = rs.getInt(1);
        }
      }
      if (queued >= maxQueued) {
        return new EnqueueResult.QueueFull(queued);
      }
      insertJob(c, job);
      return new EnqueueResult.Accepted(job.id());
    });
  }

  @Override
  public Future<Optional<Long>> lastScheduledRun(String schedule) {
    return writer.submit("lastScheduledRun", c -> {
      PreparedStatement ps = stmt(c, "SELECT last_fired_at FROM schedule_runs WHERE name = ?");
      ps.setString(1, schedule);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    });
  }

  @Override
  public Future<Boolean> enqueueScheduledJob(NewJob job, String schedule, long firedAt) {
    return writer.submit("enqueueScheduledJob", c -> {
      PreparedStatement mark = stmt(c, "INSERT INTO schedule_runs(name, last_fired_at) VALUES (?, ?) "
          + "ON CONFLICT(name) DO UPDATE SET last_fired_at = excluded.last_fired_at "
          + "WHERE excluded.last_fired_at > schedule_runs.last_fired_at");
      mark.setString(1, schedule);
      mark.setLong(2, firedAt);
      if (mark.executeUpdate() == 0) {
        return false;
      }
      insertJob(c, job);
      return true;
    });
  }

  @Override
  public Future<List<JobRecord>> claimJobs(Map<String, Integer> capacity, String owner, long now, long leaseUntil) {
    return writer.submit("claimJobs", c -> {
      List<JobRecord> claimed = new ArrayList<>();
      for (Map.Entry<String, Integer> e : capacity.entrySet()) {
        if (e.getValue() <= 0) {
          continue;
        }
        // two index range scans (state, command, ...): an OR would scan the whole table
        {
        PreparedStatement ps = stmt(c, "SELECT * FROM jobs WHERE state = 'running' AND command = ? "
            + "AND lease_until < ? ORDER BY created_at, id LIMIT ?");
          ps.setString(1, e.getKey());
          ps.setLong(2, now);
          ps.setInt(3, e.getValue());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              claimed.add(job(rs));
            }
          }
        }
        {
        PreparedStatement ps = stmt(c, "SELECT * FROM jobs WHERE state = 'queued' AND command = ? "
            + "ORDER BY created_at, id LIMIT ?");
          ps.setString(1, e.getKey());
          ps.setInt(2, e.getValue() - (int) claimed.stream().filter(j -> j.command().equals(e.getKey())).count());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              claimed.add(job(rs));
            }
          }
        }
      }
      List<JobRecord> running = new ArrayList<>();
      {
        PreparedStatement ps = stmt(c, "UPDATE jobs SET state = 'running', attempts = attempts + 1, "
          + "started_at = ?, lease_owner = ?, lease_until = ? WHERE id = ?");
        for (JobRecord j : claimed) {
          ps.setLong(1, now);
          ps.setString(2, owner);
          ps.setLong(3, leaseUntil);
          ps.setString(4, j.id());
          ps.addBatch();
          running.add(new JobRecord(j.id(), j.command(), j.request(), j.responseUrl(), JobState.RUNNING,
              j.attempts() + 1, j.createdAt(), now, null, null));
        }
        ps.executeBatch();
      }
      return running;
    });
  }

  @Override
  public Future<Void> finishJob(String jobId, JobState state, String outcome, long now, List<NewDelivery> deliveries) {
    return writer.submit("finishJob", c -> {
      {
        PreparedStatement ps = stmt(c, "UPDATE jobs SET state = ?, outcome = ?, finished_at = ?, "
          + "lease_owner = NULL, lease_until = NULL WHERE id = ?");
        ps.setString(1, state.dbName());
        ps.setString(2, outcome);
        ps.setLong(3, now);
        ps.setString(4, jobId);
        ps.executeUpdate();
      }
      insertDeliveries(c, deliveries);
      return null;
    });
  }

  @Override
  public Future<Optional<JobRecord>> job(String id) {
    return writer.submit("job", c -> {
      {
        PreparedStatement ps = stmt(c, "SELECT * FROM jobs WHERE id = ?");
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(job(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Future<List<JobRecord>> recentJobs(int limit) {
    return writer.submit("recentJobs", c -> {
      List<JobRecord> jobs = new ArrayList<>();
      {
        PreparedStatement ps = stmt(c, "SELECT * FROM jobs ORDER BY created_at DESC LIMIT ?");
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            jobs.add(job(rs));
          }
        }
      }
      return jobs;
    });
  }

  @Override
  public Future<Integer> recover(long now, Function<String, Boolean> rerun,
      Function<JobRecord, List<NewDelivery>> notice) {
    return writer.submit("recover", c -> {
      List<JobRecord> running = new ArrayList<>();
      {
        PreparedStatement ps = stmt(c, "SELECT * FROM jobs WHERE state = 'running'");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            running.add(job(rs));
          }
        }
      }
      for (JobRecord j : running) {
        boolean again = rerun.apply(j.command());
        {
        PreparedStatement ps = stmt(c, "UPDATE jobs SET state = ?, lease_owner = NULL, "
            + "lease_until = NULL, finished_at = ?, outcome = ? WHERE id = ?");
          ps.setString(1, again ? JobState.QUEUED.dbName() : JobState.INTERRUPTED.dbName());
          if (again) {
            ps.setNull(2, Types.INTEGER);
            ps.setNull(3, Types.VARCHAR);
          } else {
            ps.setLong(2, now);
            ps.setString(3, "interrupted by a restart of the gateway");
          }
          ps.setString(4, j.id());
          ps.executeUpdate();
        }
        if (!again) {
          insertDeliveries(c, notice.apply(j));
        }
      }
      try (Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE deliveries SET lease_owner = NULL, lease_until = NULL WHERE state = 'pending'");
      }
      return running.size();
    });
  }

  // ---------------------------------------------------------------- deliveries

  @Override
  public Future<Boolean> enqueueDeliveries(List<NewDelivery> deliveries, String scope, String key, long windowMs) {
    return writer.submit("enqueueDeliveries", c -> {
      if (key != null) {
        long now = deliveries.isEmpty() ? System.currentTimeMillis() : deliveries.get(0).createdAt();
        if (now - lastIdempotencyPurge >= IDEMPOTENCY_PURGE_EVERY_MS) { // once a minute, not per request
          lastIdempotencyPurge = now;
          PreparedStatement purge = stmt(c, "DELETE FROM idempotency_keys WHERE created_at < ?");
          purge.setLong(1, now - windowMs);
          purge.executeUpdate();
        }
        // a key older than the window is taken over; a younger one drops the request
        PreparedStatement ps = stmt(c, "INSERT INTO idempotency_keys(scope, key, created_at) VALUES (?,?,?) "
            + "ON CONFLICT(scope, key) DO UPDATE SET created_at = excluded.created_at "
            + "WHERE idempotency_keys.created_at < excluded.created_at - ?");
        ps.setString(1, scope);
        ps.setString(2, key);
        ps.setLong(3, now);
        ps.setLong(4, windowMs);
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      insertDeliveries(c, deliveries);
      return true;
    });
  }

  @Override
  public Future<List<Delivery>> claimDeliveries(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId) {
    Set<String> skip = Set.copyOf(skipLanes);
    return writer.submit("claimDeliveries", c -> {
      List<Delivery> claimed = new ArrayList<>();
      PreparedStatement select = afterId >= 0
          // the fast path: rows newer than what this node already saw, by primary key
          ? stmt(c, "SELECT * FROM deliveries WHERE id > ? AND state = 'pending' "
              + "AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?")
          // the full sweep: every pending row, at most perLane per lane
          : stmt(c, "SELECT * FROM (SELECT d.*, ROW_NUMBER() OVER (PARTITION BY lane ORDER BY id) AS rn "
              + "FROM deliveries d WHERE state = 'pending' AND (lease_until IS NULL OR lease_until < ?)) "
              + "WHERE rn <= ? ORDER BY id LIMIT ?");
      int p = 1;
      if (afterId >= 0) {
        select.setLong(p++, afterId);
        select.setLong(p++, now);
      } else {
        select.setLong(p++, now);
        select.setInt(p++, perLane);
      }
      select.setInt(p, max + skip.size() * perLane);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next() && claimed.size() < max) {
          if (!skip.contains(rs.getString("lane"))) {
            claimed.add(delivery(rs));
          }
        }
      }
      PreparedStatement lease = stmt(c, "UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE id = ?");
      for (Delivery d : claimed) {
        lease.setString(1, owner);
        lease.setLong(2, leaseUntil);
        lease.setLong(3, d.id());
        lease.addBatch();
      }
      lease.executeBatch();
      return claimed;
    });
  }

  @Override
  public Future<Void> renewLeases(String owner, Collection<String> jobIds, Collection<Long> deliveryIds, long leaseUntil) {
    List<String> jobs = List.copyOf(jobIds);
    List<Long> deliveries = List.copyOf(deliveryIds);
    return writer.submit("renewLeases", c -> {
      {
        PreparedStatement ps = stmt(c,
          "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'running'");
        for (String id : jobs) {
          ps.setLong(1, leaseUntil);
          ps.setString(2, id);
          ps.setString(3, owner);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      {
        PreparedStatement ps = stmt(c,
          "UPDATE deliveries SET lease_until = ? WHERE id = ? AND lease_owner = ?");
        for (Long id : deliveries) {
          ps.setLong(1, leaseUntil);
          ps.setLong(2, id);
          ps.setString(3, owner);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Future<Void> markDelivered(Collection<Long> ids, long now) {
    return updateEach(ids, "UPDATE deliveries SET state = 'delivered', delivered_at = ?, attempts = attempts + 1, lease_owner = NULL, "
        + "lease_until = NULL WHERE id = ?", (ps, id) -> {
          ps.setLong(1, now);
          ps.setLong(2, id);
        });
  }

  @Override
  public Future<Void> recordAttempt(Collection<Long> ids, String error, boolean countsAsAttempt) {
    return updateEach(ids, "UPDATE deliveries SET attempts = attempts + ?, last_error = ? WHERE id = ?",
        (ps, id) -> {
          ps.setInt(1, countsAsAttempt ? 1 : 0);
          ps.setString(2, error);
          ps.setLong(3, id);
        });
  }

  @Override
  public Future<Void> markDead(Collection<Long> ids, String error, long now) {
    return updateEach(ids, "UPDATE deliveries SET state = 'dead', last_error = ?, delivered_at = NULL, "
        + "lease_owner = NULL, lease_until = NULL WHERE id = ?", (ps, id) -> {
          ps.setString(1, error);
          ps.setLong(2, id);
        });
  }

  @Override
  public Future<Void> retarget(Collection<Long> ids, String destination) {
    return updateEach(ids, "UPDATE deliveries SET destination = ?, response_url = NULL, fallback = NULL, "
        + "lane = ? WHERE id = ?", (ps, id) -> {
          ps.setString(1, destination);
          ps.setString(2, Lanes.of(destination, null));
          ps.setLong(3, id);
        });
  }

  @Override
  public Future<Boolean> replay(long id, long now) {
    return writer.submit("replay", c -> {
      {
        PreparedStatement ps = stmt(c, "UPDATE deliveries SET state = 'pending', attempts = 0, "
          + "not_before = ?, created_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'dead'");
        ps.setLong(1, now);
        ps.setLong(2, now);
        ps.setLong(3, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<List<Delivery>> deliveries(DeliveryState state, int limit) {
    return writer.submit("deliveries", c -> {
      List<Delivery> out = new ArrayList<>();
      {
        PreparedStatement ps = stmt(c,
          "SELECT * FROM deliveries WHERE state = ? ORDER BY id DESC LIMIT ?");
        ps.setString(1, state.dbName());
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(delivery(rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public Future<Optional<Delivery>> delivery(long id) {
    return writer.submit("delivery", c -> {
      {
        PreparedStatement ps = stmt(c, "SELECT * FROM deliveries WHERE id = ?");
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(delivery(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Future<Map<String, long[]>> backlog() {
    return writer.submit("backlog", c -> {
      Map<String, long[]> out = new LinkedHashMap<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT CASE WHEN destination IS NULL THEN 'resp:' ELSE lane END AS l, COUNT(*), MIN(created_at) "
          + "FROM deliveries WHERE state = 'pending' GROUP BY l")) {
        while (rs.next()) {
          out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
      return out;
    });
  }

  // ---------------------------------------------------------------- response_url budgets

  @Override
  public Future<Boolean> tryUseResponseUrl(String jobId, long now, long lifetimeMs, int maxUses) {
    return writer.submit("tryUseResponseUrl", c -> {
      PreparedStatement ps = stmt(c, "UPDATE jobs SET url_uses = url_uses + 1 WHERE id = ? AND url_uses < ? "
          + "AND created_at > ?");
      ps.setString(1, jobId);
      ps.setInt(2, maxUses);
      ps.setLong(3, now - lifetimeMs);
      return ps.executeUpdate() == 1;
    });
  }

  @Override
  public Future<Void> returnResponseUrlUse(String jobId) {
    return writer.submit("returnResponseUrlUse", c -> {
      PreparedStatement ps = stmt(c, "UPDATE jobs SET url_uses = url_uses - 1 WHERE id = ? AND url_uses > 0");
      ps.setString(1, jobId);
      ps.executeUpdate();
      return null;
    });
  }

  // ---------------------------------------------------------------- helpers

  private PreparedStatement stmt(Connection c, String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      statements.put(sql, ps);
    } else {
      ps.clearBatch(); // whatever a failed batch left behind
      ps.clearParameters();
    }
    return ps;
  }

  private void insertJob(Connection c, NewJob job) throws SQLException {
    PreparedStatement ps = stmt(c,
        "INSERT INTO jobs(id, command, request, response_url, state, created_at) VALUES (?,?,?,?,'queued',?)");
    ps.setString(1, job.id());
    ps.setString(2, job.command());
    ps.setString(3, RequestJson.encode(job.request()));
    ps.setString(4, job.responseUrl());
    ps.setLong(5, job.createdAt());
    ps.executeUpdate();
  }

  private void insertDeliveries(Connection c, List<NewDelivery> deliveries) throws SQLException {
    if (deliveries.isEmpty()) {
      return;
    }
    {
        PreparedStatement ps = stmt(c, "INSERT INTO deliveries(lane, destination, response_url, "
        + "fallback, job_id, hook, payload, state, created_at, not_before) VALUES (?,?,?,?,?,?,?,'pending',?,?)");
      for (NewDelivery d : deliveries) {
        ps.setString(1, d.lane());
        ps.setString(2, d.destination());
        ps.setString(3, d.responseUrl());
        ps.setString(4, d.fallback());
        ps.setString(5, d.jobId());
        ps.setString(6, d.hook());
        ps.setString(7, d.message().encode());
        ps.setLong(8, d.createdAt());
        ps.setLong(9, d.notBefore());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps, Long id) throws SQLException;
  }

  private Future<Void> updateEach(Collection<Long> ids, String sql, Binder binder) {
    List<Long> list = List.copyOf(ids);
    return writer.submit("updateEach", c -> {
      {
        PreparedStatement ps = stmt(c, sql);
        for (Long id : list) {
          binder.bind(ps, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  private static JobRecord job(ResultSet rs) throws SQLException {
    return new JobRecord(rs.getString("id"), rs.getString("command"), RequestJson.decode(rs.getString("request")),
        rs.getString("response_url"), JobState.fromDb(rs.getString("state")), rs.getInt("attempts"),
        rs.getLong("created_at"), nullableLong(rs, "started_at"), nullableLong(rs, "finished_at"),
        rs.getString("outcome"));
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    return new Delivery(rs.getLong("id"), rs.getString("destination"), rs.getString("response_url"),
        rs.getString("fallback"), rs.getString("job_id"), rs.getString("hook"),
        ChatMessage.fromJson(rs.getString("payload")), DeliveryState.fromDb(rs.getString("state")),
        rs.getInt("attempts"), rs.getLong("created_at"), rs.getLong("not_before"), rs.getString("last_error"),
        nullableLong(rs, "delivered_at"));
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }


}
