package dev.hookgate.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One owner per destination lane on a shared store (a row per lane: its owner, lease and the
 * Retry-After that outlives a failover). A store one process holds alone grants every lane.
 */
final class SqlLaneLeases implements LaneLeases {
  private final SqlEngine engine;

  SqlLaneLeases(SqlEngine engine) {
    this.engine = engine;
  }

  @Override
  public boolean shared() {
    return engine.dialect().shared();
  }

  @Override
  public Future<Map<String, Long>> holdLanes(String owner, Collection<String> lanes, long now, long leaseUntil) {
    List<String> wanted = lanes.stream().distinct().sorted().toList(); // sorted: no deadlock between nodes
    if (!shared()) {
      Map<String, Long> all = new HashMap<>();
      wanted.forEach(l -> all.put(l, 0L));
      return Future.succeededFuture(all);
    }
    return engine.write("holdLanes", tx -> {
      Map<String, Long> held = new HashMap<>();
      if (wanted.isEmpty()) {
        return held;
      }
      // a lane nobody holds, or whose lease expired, is taken; the owner's own lease is renewed; a
      // live lease of another node is left alone
      PreparedStatement take = tx.prepare("INSERT INTO lane_leases(lane, owner, lease_until) VALUES (?, ?, ?) "
          + "ON CONFLICT(lane) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until "
          + "WHERE lane_leases.owner = excluded.owner OR lane_leases.owner IS NULL OR lane_leases.lease_until < ?");
      for (String lane : wanted) {
        take.setString(1, lane);
        take.setString(2, owner);
        take.setLong(3, leaseUntil);
        take.setLong(4, now);
        take.addBatch();
      }
      take.executeBatch();
      PreparedStatement read = tx.prepare("SELECT lane, paused_until FROM lane_leases WHERE owner = ?");
      read.setString(1, owner);
      Set<String> asked = Set.copyOf(wanted);
      try (ResultSet rs = read.executeQuery()) {
        while (rs.next()) {
          if (asked.contains(rs.getString(1))) {
            held.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return held;
    });
  }

  @Override
  public Future<Void> pauseLane(String lane, long until) {
    if (!shared()) {
      return Future.succeededFuture();
    }
    return engine.write("pauseLane", tx -> {
      PreparedStatement ps = tx.prepare("UPDATE lane_leases SET paused_until = "
          + engine.dialect().greatest("paused_until", "?") + " WHERE lane = ?");
      ps.setLong(1, until);
      ps.setString(2, lane);
      ps.executeUpdate();
      return null;
    });
  }

  @Override
  public Future<Void> releaseLanes(String owner, long pausedUntil) {
    if (!shared()) {
      return Future.succeededFuture();
    }
    return engine.write("releaseLanes", tx -> {
      PreparedStatement ps = tx.prepare("UPDATE lane_leases SET owner = NULL, lease_until = 0, paused_until = "
          + engine.dialect().greatest("paused_until", "?") + " WHERE owner = ?");
      ps.setLong(1, pausedUntil);
      ps.setString(2, owner);
      ps.executeUpdate();
      return null;
    });
  }
}
