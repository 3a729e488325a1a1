package dev.hookgate.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Admin and metrics reads, on the reader connection; each an index seek or an indexed range. */
final class SqlAdmin implements AdminQueries {
  private final SqlEngine engine;
  private final SqlDeliveries deliveries;

  SqlAdmin(SqlEngine engine, SqlDeliveries deliveries) {
    this.engine = engine;
    this.deliveries = deliveries;
  }

  @Override
  public Future<Optional<JobRecord>> job(String id) {
    return engine.read(tx -> {
      PreparedStatement ps = tx.prepare("SELECT * FROM jobs WHERE id = ?");
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Rows.job(rs)) : Optional.empty();
      }
    });
  }

  @Override
  public Future<List<JobRecord>> recentJobs(int limit) {
    return engine.read(tx -> {
      PreparedStatement ps = tx.prepare("SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?");
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        return Rows.jobs(rs);
      }
    });
  }

  @Override
  public Future<List<Delivery>> deliveries(DeliveryState state, int limit) {
    return engine.read(tx -> {
      PreparedStatement ps = tx.prepare("SELECT * FROM deliveries WHERE state = ? ORDER BY id DESC LIMIT ?");
      ps.setString(1, state.dbName());
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        return Rows.deliveries(rs);
      }
    });
  }

  @Override
  public Future<Boolean> replay(long id, long now) {
    return deliveries.replay(id, now);
  }

  @Override
  public Future<Map<String, long[]>> backlog() {
    return engine.read(tx -> {
      Map<String, long[]> out = new LinkedHashMap<>();
      PreparedStatement ps = tx.prepare("SELECT CASE WHEN destination IS NULL THEN 'resp:' ELSE lane END AS l, "
          + "COUNT(*), MIN(created_at) FROM deliveries WHERE state = 'pending' "
          + "GROUP BY CASE WHEN destination IS NULL THEN 'resp:' ELSE lane END");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
      return out;
    });
  }
}
