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
  static final String INSERT_DELIVERY = "INSERT INTO deliveries(lane, destination, response_url, fallback, job_id, "
      + "hook, payload, state, created_at, not_before, node) VALUES (?,?,?,?,?,?,?,'pending',?,?,?)";
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

  /** Adds {@code n} (negative: takes) to the count of queued jobs of a command. */
  static void countQueued(Tx tx, String command, int n) throws SQLException {
    PreparedStatement ps = tx.prepare(COUNT_QUEUED);
    ps.setString(1, command);
    ps.setInt(2, n);
    ps.executeUpdate();
  }

  /**
   * Inserts deliveries with the transaction's shared batch of deliveries (see {@link Tx#batched}).
   * {@code node}: the node that queued them (its replies stay with it); {@code returnIds}: where
   * other nodes are told the first new id at commit.
   */
  static void insertDeliveries(Tx tx, List<NewDelivery> deliveries, String node, boolean returnIds)
      throws SQLException {
    if (deliveries.isEmpty()) {
      return;
    }
    PreparedStatement ps = tx.batched(INSERT_DELIVERY, returnIds, ran -> {
      if (returnIds) {
        tx.deliveriesQueued(firstKey(ran));
      }
    });
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
      ps.setString(10, node);
      ps.addBatch();
    }
  }

  private static long firstKey(PreparedStatement ran) throws SQLException {
    long first = Long.MAX_VALUE;
    try (ResultSet keys = ran.getGeneratedKeys()) {
      while (keys.next()) {
        first = Math.min(first, keys.getLong(1));
      }
    }
    return first == Long.MAX_VALUE ? 0 : first;
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
