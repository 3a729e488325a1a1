package dev.hookgate.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The delivery queue on the store engine. Claims read the index of pending rows only (never the
 * delivered history) and lease a row only if nobody else leased it since the read.
 */
final class SqlDeliveries implements DeliveryQueue {
  private static final long IDEMPOTENCY_PURGE_EVERY_MS = 60_000;
  /**
   * A delivery this owner may send: of a destination lane whose lane lease it holds, or of a
   * response_url lane it queued (or adopted from a node that stopped). Binds: owner, now, owner.
   */
  private static final String OWNED = "AND (CASE WHEN deliveries.lane LIKE '" + Lanes.DESTINATION_PREFIX + "%' "
      + "THEN EXISTS (SELECT 1 FROM lane_leases ll WHERE ll.lane = deliveries.lane AND ll.owner = ? "
      + "AND ll.lease_until >= ?) ELSE (deliveries.node IS NULL OR deliveries.node = ?) END) ";
  private static final String FREE = "(lease_until IS NULL OR lease_until < ?)";

  private final SqlEngine engine;
  /** The writer threads (a purge that two run at once deletes the same rows twice: harmless). */
  private volatile long lastIdempotencyPurge;

  SqlDeliveries(SqlEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<Boolean> enqueueDeliveries(List<NewDelivery> deliveries, String scope, String key, long windowMs) {
    return enqueueDeliveries(deliveries, scope, key, windowMs, null).map(Queued::fresh);
  }

  @Override
  public Future<Queued> enqueueDeliveries(List<NewDelivery> deliveries, String scope, String key, long windowMs,
      Lease lease) {
    return engine.write("enqueueDeliveries", tx -> {
      if (key != null) {
        long now = deliveries.isEmpty() ? System.currentTimeMillis() : deliveries.get(0).createdAt();
        if (now - lastIdempotencyPurge >= IDEMPOTENCY_PURGE_EVERY_MS) { // once a minute, not per request
          lastIdempotencyPurge = now;
          PreparedStatement purge = tx.prepare("DELETE FROM idempotency_keys WHERE created_at < ?");
          purge.setLong(1, now - windowMs);
          purge.executeUpdate();
        }
        // a key older than the window is taken over; a younger one drops the request (on PostgreSQL
        // a concurrent insert of the same key waits for the first to commit, then sees it)
        PreparedStatement ps = tx.prepare("INSERT INTO idempotency_keys(scope, key, created_at) VALUES (?,?,?) "
            + "ON CONFLICT(scope, key) DO UPDATE SET created_at = excluded.created_at "
            + "WHERE idempotency_keys.created_at < excluded.created_at - ?");
        ps.setString(1, scope == null ? "" : scope);
        ps.setString(2, key);
        ps.setLong(3, now);
        ps.setLong(4, windowMs);
        if (ps.executeUpdate() == 0) {
          return null;
        }
      }
      return lease == null ? Rows.insertDeliveries(tx, deliveries, engine.nodeId(), null)
          : engine.insertLeasedDeliveries(tx, deliveries, lease);
    }).map(ids -> ids == null ? new Queued(false, List.of())
        : new Queued(true, lease == null ? List.of() : Rows.stored(deliveries, ids)));
  }

  @Override
  public Future<List<Delivery>> claimDeliveries(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId) {
    return claim(skipLanes, perLane, max, owner, now, leaseUntil, afterId, false);
  }

  @Override
  public Future<List<Delivery>> claimOwnedDeliveries(Collection<String> skipLanes, int perLane, int max,
      String owner, long now, long leaseUntil, long afterId) {
    return claim(skipLanes, perLane, max, owner, now, leaseUntil, afterId, engine.dialect().shared());
  }

  private Future<List<Delivery>> claim(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId, boolean ownedOnly) {
    Set<String> skip = Set.copyOf(skipLanes);
    String owned = ownedOnly ? OWNED : "";
    return engine.write("claimDeliveries", tx -> {
      PreparedStatement select = afterId >= 0
          // what was queued since the last claim: a range of the pending rows' index, from the cursor
          ? tx.prepare("SELECT * FROM deliveries WHERE state = 'pending' AND id > ? AND " + FREE + " " + owned
              + "ORDER BY id LIMIT ?" + engine.dialect().skipLocked())
          // the sweep: every pending row nobody holds, at most perLane per lane
          : tx.prepare("SELECT * FROM (SELECT deliveries.*, ROW_NUMBER() OVER (PARTITION BY lane ORDER BY id) AS rn "
              + "FROM deliveries WHERE state = 'pending' AND " + FREE + " " + owned + ") w "
              + "WHERE rn <= ? ORDER BY id LIMIT ?");
      int p = 1;
      if (afterId >= 0) {
        select.setLong(p++, afterId);
      }
      select.setLong(p++, now);
      if (ownedOnly) {
        select.setString(p++, owner);
        select.setLong(p++, now);
        select.setString(p++, owner);
      }
      if (afterId < 0) {
        select.setInt(p++, perLane);
      }
      select.setInt(p, max + skip.size() * perLane);
      List<Delivery> candidates = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next() && candidates.size() < max) {
          if (!skip.contains(rs.getString("lane"))) {
            candidates.add(Rows.delivery(rs));
          }
        }
      }
      return lease(tx, candidates, owner, now, leaseUntil);
    });
  }

  /** Leases the candidates nobody leased since they were read; returns those, by id. */
  private static List<Delivery> lease(Tx tx, List<Delivery> candidates, String owner, long now, long leaseUntil)
      throws SQLException {
    if (candidates.isEmpty()) {
      return candidates;
    }
    PreparedStatement lease = tx.prepare("UPDATE deliveries SET lease_owner = ?, lease_until = ? "
        + "WHERE id = ? AND state = 'pending' AND " + FREE);
    for (Delivery d : candidates) {
      lease.setString(1, owner);
      lease.setLong(2, leaseUntil);
      lease.setLong(3, d.id());
      lease.setLong(4, now);
      lease.addBatch();
    }
    int[] counts = lease.executeBatch();
    List<Delivery> claimed = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      if (counts[i] == 1) {
        claimed.add(candidates.get(i));
      }
    }
    claimed.sort(Comparator.comparingLong(Delivery::id));
    return claimed;
  }

  @Override
  public Future<Void> renewDeliveryLeases(String owner, Collection<Long> deliveryIds, long leaseUntil) {
    return updateEach("renewDeliveryLeases", deliveryIds,
        "UPDATE deliveries SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'pending'", (ps, id) -> {
          ps.setLong(1, leaseUntil);
          ps.setLong(2, id);
          ps.setString(3, owner);
        });
  }

  @Override
  public Future<Void> markDelivered(Collection<Long> ids, long now) {
    return updateEach("markDelivered", ids, "UPDATE deliveries SET state = 'delivered', delivered_at = ?, "
        + "attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = ?", (ps, id) -> {
          ps.setLong(1, now);
          ps.setLong(2, id);
        });
  }

  @Override
  public Future<Void> recordAttempt(Collection<Long> ids, String error, boolean countsAsAttempt) {
    return updateEach("recordAttempt", ids, "UPDATE deliveries SET attempts = attempts + ?, last_error = ? WHERE id = ?",
        (ps, id) -> {
          ps.setInt(1, countsAsAttempt ? 1 : 0);
          ps.setString(2, error);
          ps.setLong(3, id);
        });
  }

  @Override
  public Future<Void> markDead(Collection<Long> ids, String error, long now) {
    return updateEach("markDead", ids, "UPDATE deliveries SET state = 'dead', last_error = ?, delivered_at = NULL, "
        + "lease_owner = NULL, lease_until = NULL WHERE id = ?", (ps, id) -> {
          ps.setString(1, error);
          ps.setLong(2, id);
        });
  }

  @Override
  public Future<Void> retarget(Collection<Long> ids, String destination) {
    return updateEach("retarget", ids, "UPDATE deliveries SET destination = ?, response_url = NULL, fallback = NULL, "
        + "lane = ? WHERE id = ?", (ps, id) -> {
          ps.setString(1, destination);
          ps.setString(2, Lanes.of(destination, null));
          ps.setLong(3, id);
        });
  }

  /** Puts a dead delivery back in its queue (the admin's replay). */
  Future<Boolean> replay(long id, long now) {
    return engine.write("replay", tx -> {
      PreparedStatement ps = tx.prepare("UPDATE deliveries SET state = 'pending', attempts = 0, "
          + "not_before = ?, created_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'dead'");
      ps.setLong(1, now);
      ps.setLong(2, now);
      ps.setLong(3, id);
      boolean replayed = ps.executeUpdate() == 1;
      if (replayed) {
        tx.deliveriesQueued(id);
      }
      return replayed;
    });
  }

  /**
   * Response_url deliveries that a node which stopped had queued become this node's, so that each
   * reply lane is still sent by one node, in order.
   */
  int adoptReplies(Tx tx, long aliveSince) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE deliveries SET node = ? WHERE state = 'pending' "
        + "AND lane NOT LIKE '" + Lanes.DESTINATION_PREFIX + "%' AND node IS NOT NULL AND node <> ? "
        + "AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.node = deliveries.node AND n.seen_at >= ?)");
    ps.setString(1, engine.nodeId());
    ps.setString(2, engine.nodeId());
    ps.setLong(3, aliveSince);
    return ps.executeUpdate();
  }

  /** Releases the delivery leases that no live node holds. */
  void releaseStaleLeases(Tx tx, long now, long aliveSince) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE deliveries SET lease_owner = NULL, lease_until = NULL "
        + "WHERE state = 'pending' AND lease_owner IS NOT NULL AND (lease_until IS NULL OR lease_until < ? "
        + "OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.node = deliveries.lease_owner AND n.seen_at >= ?))");
    ps.setLong(1, now);
    ps.setLong(2, aliveSince);
    ps.executeUpdate();
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps, Long id) throws SQLException;
  }

  private Future<Void> updateEach(String name, Collection<Long> ids, String sql, Binder binder) {
    // rows locked in id order: two writers' transactions never wait on each other in a cycle
    List<Long> list = ids.stream().sorted().toList();
    return engine.write(name, tx -> {
      if (list.isEmpty()) {
        return null;
      }
      PreparedStatement ps = tx.prepare(sql);
      for (Long id : list) {
        binder.bind(ps, id);
        ps.addBatch();
      }
      ps.executeBatch();
      return null;
    });
  }
}
