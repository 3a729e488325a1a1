package dev.hookgate.store;

import dev.hookgate.protocol.ChatMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Rows to records and records to rows: the statements every role shares. */
final class Rows {
  private Rows() {}

  static final String INSERT_JOB =
      "INSERT INTO jobs(id, command, request, response_url, state, created_at) VALUES (?,?,?,?,'queued',?)";
  static final String INSERT_RUNNING_JOB = "INSERT INTO jobs(id, command, request, response_url, state, attempts, "
      + "created_at, started_at, lease_owner, lease_until) VALUES (?,?,?,?,'running',1,?,?,?,?)";
  static final String INSERT_DELIVERY = "INSERT INTO deliveries(lane, destination, response_url, fallback, job_id, "
      + "hook, payload, state, created_at, not_before, node, lease_owner, lease_until) "
      + "VALUES (?,?,?,?,?,?,?,'pending',?,?,?,?,?)";
  /** One more job waiting for its command, whatever the count. */
  static final String COUNT_QUEUED = "INSERT INTO queue_depth(command, queued) VALUES (?, ?) "
      + "ON CONFLICT(command) DO UPDATE SET queued = queue_depth.queued + excluded.queued";

  /** Inserts a job with the transaction's shared batch of jobs (see {@link Tx#batched}). */
  static void insertJob(Tx tx, NewJob job) throws SQLException {
    PreparedStatement ps = tx.batched(INSERT_JOB, false, ran -> {});
    ps.setString(1, job.id());
    ps.setString(2, job.command());
    ps.setString(3, RequestJson.encode(job.request()));
    ps.setString(4, job.responseUrl());
    ps.setLong(5, job.createdAt());
    ps.addBatch();
    tx.jobsQueued();
  }

  /**
   * Inserts a job already running, leased to the node that accepted it (its first attempt), with
   * the transaction's shared batch of such jobs: nobody claims it, that node runs it now.
   */
  static JobRecord insertRunningJob(Tx tx, NewJob job, Lease lease) throws SQLException {
    PreparedStatement ps = tx.batched(INSERT_RUNNING_JOB, false, ran -> {});
    ps.setString(1, job.id());
    ps.setString(2, job.command());
    ps.setString(3, RequestJson.encode(job.request()));
    ps.setString(4, job.responseUrl());
    ps.setLong(5, job.createdAt());
    ps.setLong(6, job.createdAt());
    ps.setString(7, lease.owner());
    ps.setLong(8, lease.until());
    ps.addBatch();
    return new JobRecord(job.id(), job.command(), job.request(), job.responseUrl(), JobState.RUNNING, 1,
        job.createdAt(), job.createdAt(), null, null);
  }

  /** Adds {@code n} (negative: takes) to the count of queued jobs of a command. */
  static void countQueued(Tx tx, String command, int n) throws SQLException {
    PreparedStatement ps = tx.prepare(COUNT_QUEUED);
    ps.setString(1, command);
    ps.setInt(2, n);
    ps.executeUpdate();
  }

  /**
   * Inserts deliveries as queued by {@code node} (its replies stay with it). With a {@code lease},
   * they are stored leased to that node, which sends them from memory: the future's value holds
   * them with their ids. Without, they wait for a claim, and the consumers are woken at commit
   * from the first new id.
   */
  static Tx.Ids insertDeliveries(Tx tx, List<NewDelivery> deliveries, String node, Lease lease)
      throws SQLException {
    return tx.insertReturningIds(INSERT_DELIVERY, deliveries, (ps, d) -> {
      ps.setString(1, d.lane());
      ps.setString(2, d.destination());
      ps.setString(3, d.responseUrl());
      ps.setString(4, d.fallback());
      ps.setString(5, d.jobId());
      ps.setString(6, d.hook());
      ps.setString(7, d.message().encode());
      ps.setLong(8, d.createdAt());
      ps.setLong(9, d.notBefore());
      ps.setString(10, node);
      ps.setString(11, lease == null ? null : lease.owner());
      if (lease == null) {
        ps.setNull(12, java.sql.Types.BIGINT);
      } else {
        ps.setLong(12, lease.until());
      }
    }, firstId -> {
      if (lease == null) {
        tx.deliveriesQueued(firstId);
      }
    });
  }

  /** The deliveries an insert stored, with the ids it generated (once its transaction ran). */
  static List<Delivery> stored(List<NewDelivery> deliveries, Tx.Ids ids) {
    List<Delivery> out = new ArrayList<>(deliveries.size());
    for (int i = 0; i < deliveries.size(); i++) {
      out.add(Delivery.stored(ids.get(i), deliveries.get(i)));
    }
    return out;
  }

  static List<JobRecord> jobs(ResultSet rs) throws SQLException {
    List<JobRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(job(rs));
    }
    return out;
  }

  static JobRecord job(ResultSet rs) throws SQLException {
    return new JobRecord(rs.getString("id"), rs.getString("command"), RequestJson.decode(rs.getString("request")),
        rs.getString("response_url"), JobState.fromDb(rs.getString("state")), rs.getInt("attempts"),
        rs.getLong("created_at"), nullableLong(rs, "started_at"), nullableLong(rs, "finished_at"),
        rs.getString("outcome"));
  }

  static List<Delivery> deliveries(ResultSet rs) throws SQLException {
    List<Delivery> out = new ArrayList<>();
    while (rs.next()) {
      out.add(delivery(rs));
    }
    return out;
  }

  static Delivery delivery(ResultSet rs) throws SQLException {
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
