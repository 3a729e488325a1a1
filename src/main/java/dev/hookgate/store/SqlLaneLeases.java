package dev.hookgate.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One owner per destination lane on a shared store (a row per lane: its owner, lease and the
 * Retry-After that outlives a failover). A store one process holds alone grants every lane.
 *
 * <p>Lanes are balanced ({@link LaneShare}): a node takes free lanes up to its fair share, a node
 * below its share asks for lanes of nodes above theirs ({@code wanted_by}), and those hand them over
 * at their next renewal.
 */
final class SqlLaneLeases implements LaneLeases {
  /** A lane handed over to a node below its share: the new owner waits this long (the old one may still be posting). */
  static final long HANDOVER_PAUSE_MS = 1000;

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
      LaneShare share = LaneShare.of(owner, wanted, liveLeases(tx, now), liveWanters(tx, now - (leaseUntil - now)));
      handOver(tx, owner, share.surplus(), now, leaseUntil);
      // a lane nobody holds, or whose lease expired, is taken (up to the fair share); the owner's own
      // lease is renewed; a live lease of another node is left alone
      PreparedStatement take = tx.prepare("INSERT INTO lane_leases(lane, owner, lease_until) VALUES (?, ?, ?) "
          + "ON CONFLICT(lane) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until "
          + "WHERE lane_leases.owner = excluded.owner OR lane_leases.owner IS NULL OR lane_leases.lease_until < ?");
      int free = share.mayTake();
      for (String lane : wanted) {
        if (!share.kept().contains(lane) && (share.notTaken().contains(lane) || free-- <= 0)) {
          continue;
        }
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
      ask(tx, owner, share.ask(held.size()));
      return held;
    });
  }

  /** Every live lease, by lane. */
  private static Map<String, LaneShare.Lease> liveLeases(Tx tx, long now) throws SQLException {
    PreparedStatement ps = tx.prepare("SELECT lane, owner, wanted_by FROM lane_leases "
        + "WHERE owner IS NOT NULL AND lease_until >= ?");
    ps.setLong(1, now);
    Map<String, LaneShare.Lease> out = new HashMap<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), new LaneShare.Lease(rs.getString(2), rs.getString(3)));
      }
    }
    return out;
  }

  /** The live nodes that asked for a lane (see {@link #ask}). */
  private static Set<String> liveWanters(Tx tx, long aliveSince) throws SQLException {
    PreparedStatement ps = tx.prepare("SELECT DISTINCT wanted_by FROM lane_leases l WHERE wanted_by IS NOT NULL "
        + "AND EXISTS (SELECT 1 FROM nodes n WHERE n.node = l.wanted_by AND n.seen_at >= ?)");
    ps.setLong(1, aliveSince);
    Set<String> out = new HashSet<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Gives up to {@code n} of this owner's lanes that a live node asked for to that node, with a
   * pause before it may send (as a graceful stop's release): this owner stops sending them when its
   * renewal answers, its claimed deliveries stay leased to it until it sends or releases them, so
   * none is sent by both.
   */
  private void handOver(Tx tx, String owner, List<String> surplus, long now, long leaseUntil) throws SQLException {
    if (surplus.isEmpty()) {
      return;
    }
    PreparedStatement ps = tx.prepare("UPDATE lane_leases SET owner = wanted_by, wanted_by = NULL, lease_until = ?, "
        + "paused_until = " + engine.dialect().greatest("paused_until", "?") + " WHERE lane = ? AND owner = ?");
    for (String lane : surplus) {
      ps.setLong(1, leaseUntil);
      ps.setLong(2, now + HANDOVER_PAUSE_MS);
      ps.setString(3, lane);
      ps.setString(4, owner);
      ps.addBatch();
    }
    ps.executeBatch();
  }

  /** Forgets this owner's requests, then asks for these lanes (held by nodes above their share). */
  private static void ask(Tx tx, String owner, List<String> lanes) throws SQLException {
    PreparedStatement forget = tx.prepare("UPDATE lane_leases SET wanted_by = NULL WHERE wanted_by = ?");
    forget.setString(1, owner);
    forget.executeUpdate();
    if (lanes.isEmpty()) {
      return;
    }
    PreparedStatement want = tx.prepare("UPDATE lane_leases SET wanted_by = ? WHERE lane = ? AND owner <> ?");
    for (String lane : lanes) {
      want.setString(1, owner);
      want.setString(2, lane);
      want.setString(3, owner);
      want.addBatch();
    }
    want.executeBatch();
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
      ask(tx, owner, List.of()); // nothing is handed over to a node that stopped
      return null;
    });
  }
}
