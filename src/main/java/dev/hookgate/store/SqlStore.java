package dev.hookgate.store;

import dev.hookgate.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store engine: the queue logic written once over JDBC, what differs between SQLite and
 * PostgreSQL in a {@link Dialect}. Writes go through one writer thread with group commit
 * ({@link SqlWriter}: the operations waiting at a moment share one transaction and one flush);
 * reads that no acknowledgement waits for go through a reader connection of their own
 * ({@link SqlReader}). JDBC never runs on an event loop.
 *
 * <p>Liveness on a shared store: this node writes its heartbeat row ({@code nodes}) at open and
 * every third of {@code liveness}; {@link #recover} takes back only what no live node holds. A
 * store that one process holds alone (SQLite, under its file lock) takes back everything that
 * another process left.
 */
public final class SqlStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class);
  /** Retention deletes at most this many rows per transaction: acks never wait behind a long purge. */
  static final int PURGE_BATCH = 1000;

  private final Vertx vertx;
  private final Dialect dialect;
  private final SqlEngine engine;
  private final Clock clock;
  private final long livenessMs;
  /** Writer connections (group commits in flight at once): 1 on SQLite. */
  private final int writers;
  private final StoreStats stats = new StoreStats();
  private final SqlJobs jobs;
  private final SqlDeliveries deliveries;
  private final SqlResponseUrlBudget budget;
  private final SqlLaneLeases lanes;
  private final SqlAdmin admin;
  private SqlWriter writer;
  private SqlReader reader;
  private AutoCloseable listener;
  private long heartbeatTimer = -1;
  private volatile boolean closed;

  SqlStore(Vertx vertx, Dialect dialect, String nodeId, Clock clock, Duration liveness, int writers) {
    this.vertx = vertx;
    this.writers = writers;
    this.dialect = dialect;
    this.engine = new SqlEngine(dialect, nodeId);
    this.clock = clock;
    this.livenessMs = liveness.toMillis();
    this.jobs = new SqlJobs(engine);
    this.deliveries = new SqlDeliveries(engine);
    this.budget = new SqlResponseUrlBudget(engine);
    this.lanes = new SqlLaneLeases(engine);
    this.admin = new SqlAdmin(engine, deliveries);
  }

  /** The embedded store: one SQLite file that this process holds alone. */
  public static SqlStore sqlite(Vertx vertx, Path path, String synchronous, String nodeId) {
    return new SqlStore(vertx, new SqliteDialect(path, synchronous), nodeId, Clock.systemUTC(), Duration.ofSeconds(30),
        1);
  }

  /**
   * The shared store: PostgreSQL at {@code uri} ({@code postgresql://user:password@host:port/db}).
   * {@code liveness}: how old a heartbeat may be for its node to count as alive (the lease length).
   */
  public static SqlStore postgres(Vertx vertx, String uri, String nodeId, Clock clock, Duration liveness) {
    return postgres(vertx, uri, nodeId, clock, liveness, StoreConfig.DEFAULT_POSTGRES_WRITERS);
  }

  /** As above, with {@code writers} write connections, each group-committing ({@code store.postgres.writers}). */
  public static SqlStore postgres(Vertx vertx, String uri, String nodeId, Clock clock, Duration liveness,
      int writers) {
    return new SqlStore(vertx, new PostgresDialect(uri, nodeId), nodeId, clock, liveness, writers);
  }

  /** What the store did (operations by name, transactions), for metrics and benchmarks. */
  public StoreStats stats() {
    return stats;
  }

  /** For tests: an operation of their own on the writer (one that holds it makes the next ones share a batch). */
  <T> Future<T> write(String name, SqlWriter.SqlOp<T> op) {
    return engine.write(name, op);
  }

  /** The statements the writer prepared so far: what the hot paths ran (for the query-plan test). */
  java.util.Set<String> writerStatements() {
    SqlWriter w = writer;
    return w == null ? java.util.Set.of() : w.preparedStatements();
  }

  @Override
  public Future<Void> open() {
    return vertx.executeBlocking(() -> {
      java.sql.Connection c = dialect.connect(false);
      try {
        int applied = dialect.migrate(c);
        if (applied > 0) {
          LOG.info("{} store: applied {} schema migration(s)", dialect.name(), applied);
        }
      } catch (Exception e) {
        c.close();
        dialect.release();
        throw e;
      }
      writer = new SqlWriter(vertx, dialect, new Tx(c, dialect), stats, "hookgate-store-writer", writers);
      reader = new SqlReader(vertx, dialect, "hookgate-store-reader");
      engine.started(writer, reader);
      return null;
    }).compose(v -> ping(engine.nodeId(), clock.millis())).onSuccess(v -> {
      if (dialect.shared()) {
        listener = dialect.listen(vertx);
        heartbeatTimer = vertx.setPeriodic(Math.max(1000, livenessMs / 3), id -> {
          if (!closed) {
            ping(engine.nodeId(), clock.millis()).onFailure(e -> LOG.warn("store heartbeat failed: {}", e.getMessage()));
          }
        });
      }
    });
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    SqlWriter w = writer;
    SqlReader r = reader;
    AutoCloseable l = listener;
    return vertx.executeBlocking(() -> {
      if (l != null) {
        l.close();
      }
      if (w != null) {
        w.close();
      }
      if (r != null) {
        r.close();
      }
      dialect.release();
      return null;
    });
  }

  @Override
  public Future<Void> ping(String node, long now) {
    return engine.write("ping", tx -> {
      dialect.checkStorage();
      PreparedStatement ps = tx.prepare("INSERT INTO nodes(node, seen_at) VALUES (?, ?) ON CONFLICT(node) "
          + "DO UPDATE SET seen_at = " + dialect.greatest("nodes.seen_at", "excluded.seen_at"));
      ps.setString(1, node);
      ps.setLong(2, now);
      ps.executeUpdate();
      return null;
    });
  }

  @Override
  public Future<Integer> purgeFinished(long before) {
    return purgeDeliveries(before, 0).compose(n -> purgeJobs(before, n));
  }

  private Future<Integer> purgeDeliveries(long before, int sofar) {
    return engine.write("purgeDeliveries", tx -> {
      PreparedStatement ps = tx.prepare("DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries "
          + "WHERE state = 'delivered' AND delivered_at < ? LIMIT " + PURGE_BATCH + ")");
      ps.setLong(1, before);
      return ps.executeUpdate();
    }).compose(n -> n < PURGE_BATCH || closed ? Future.succeededFuture(sofar + n) : purgeDeliveries(before, sofar + n));
  }

  private Future<Integer> purgeJobs(long before, int sofar) {
    return engine.write("purgeJobs", tx -> {
      PreparedStatement ps = tx.prepare("DELETE FROM jobs WHERE id IN (SELECT id FROM jobs "
          + "WHERE state IN ('succeeded', 'failed', 'interrupted') AND finished_at < ? "
          + "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.job_id = jobs.id AND d.state <> 'delivered') "
          + "LIMIT " + PURGE_BATCH + ")");
      ps.setLong(1, before);
      return ps.executeUpdate();
    }).compose(n -> n < PURGE_BATCH || closed ? Future.succeededFuture(sofar + n) : purgeJobs(before, sofar + n));
  }

  @Override
  public Future<Integer> recover(long now, Function<String, Boolean> rerun,
      Function<JobRecord, List<NewDelivery>> notice) {
    // alone on the store, no other process is alive: every heartbeat is stale
    long aliveSince = dialect.shared() ? now - livenessMs : Long.MAX_VALUE;
    return engine.write("recover", tx -> {
      tx.runBatches(); // it counts rows: the rows operations before it added are in first
      int n = jobs.recoverJobs(tx, now, aliveSince, rerun, notice);
      if (dialect.shared()) {
        int adopted = deliveries.adoptReplies(tx, aliveSince);
        if (adopted > 0) {
          LOG.info("adopted {} response_url deliveries queued by a node that stopped", adopted);
        }
      }
      deliveries.releaseStaleLeases(tx, now, aliveSince);
      if (!dialect.shared()) {
        jobs.recountQueued(tx); // alone on the store: the counts are rebuilt from the rows at each start
      }
      return n;
    });
  }

  // ---------------------------------------------------------------- the roles

  @Override
  public Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued) {
    return jobs.enqueueJob(job, maxQueued);
  }

  @Override
  public Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued, Lease lease) {
    return jobs.enqueueJob(job, maxQueued, lease);
  }

  @Override
  public Future<List<JobRecord>> claimJobs(Map<String, Integer> capacity, String owner, long now, long leaseUntil) {
    return jobs.claimJobs(capacity, owner, now, leaseUntil);
  }

  @Override
  public Future<Void> finishJob(String jobId, JobState state, String outcome, long now, List<NewDelivery> ds) {
    return jobs.finishJob(jobId, state, outcome, now, ds);
  }

  @Override
  public Future<FinishedJob> finishJob(String jobId, JobState state, String outcome, long now,
      List<NewDelivery> replies, Lease lease) {
    return jobs.finishJob(jobId, state, outcome, now, replies, lease);
  }

  @Override
  public Future<Void> returnJobs(String owner, Collection<String> jobIds) {
    return jobs.returnJobs(owner, jobIds);
  }

  @Override
  public Future<Void> renewJobLeases(String owner, Collection<String> jobIds, long leaseUntil) {
    return jobs.renewJobLeases(owner, jobIds, leaseUntil);
  }

  @Override
  public Future<Optional<Long>> lastScheduledRun(String schedule) {
    return jobs.lastScheduledRun(schedule);
  }

  @Override
  public Future<Boolean> enqueueScheduledJob(NewJob job, String schedule, long firedAt) {
    return jobs.enqueueScheduledJob(job, schedule, firedAt);
  }

  @Override
  public Future<Boolean> enqueueDeliveries(List<NewDelivery> ds, String scope, String key, long windowMs) {
    return deliveries.enqueueDeliveries(ds, scope, key, windowMs);
  }

  @Override
  public Future<Queued> enqueueDeliveries(List<NewDelivery> ds, String scope, String key, long windowMs,
      Lease lease) {
    return deliveries.enqueueDeliveries(ds, scope, key, windowMs, lease);
  }

  @Override
  public Future<List<Delivery>> claimDeliveries(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId) {
    return deliveries.claimDeliveries(skipLanes, perLane, max, owner, now, leaseUntil, afterId);
  }

  @Override
  public Future<List<Delivery>> claimOwnedDeliveries(Collection<String> skipLanes, int perLane, int max,
      String owner, long now, long leaseUntil, long afterId) {
    return deliveries.claimOwnedDeliveries(skipLanes, perLane, max, owner, now, leaseUntil, afterId);
  }

  @Override
  public Future<Void> renewDeliveryLeases(String owner, Collection<Long> ids, long leaseUntil) {
    return deliveries.renewDeliveryLeases(owner, ids, leaseUntil);
  }

  @Override
  public Future<Void> markDelivered(Collection<Long> ids, long now) {
    return deliveries.markDelivered(ids, now);
  }

  @Override
  public Future<Void> recordAttempt(Collection<Long> ids, String error, boolean countsAsAttempt) {
    return deliveries.recordAttempt(ids, error, countsAsAttempt);
  }

  @Override
  public Future<Void> markDead(Collection<Long> ids, String error, long now) {
    return deliveries.markDead(ids, error, now);
  }

  @Override
  public Future<Void> retarget(Collection<Long> ids, String destination) {
    return deliveries.retarget(ids, destination);
  }

  @Override
  public Future<Boolean> tryUseResponseUrl(String jobId, long now, long lifetimeMs, int maxUses) {
    return budget.tryUseResponseUrl(jobId, now, lifetimeMs, maxUses);
  }

  @Override
  public Future<Void> returnResponseUrlUse(String jobId) {
    return budget.returnResponseUrlUse(jobId);
  }

  @Override
  public boolean shared() {
    return lanes.shared();
  }

  @Override
  public Future<Map<String, Long>> holdLanes(String owner, Collection<String> ls, long now, long leaseUntil) {
    return lanes.holdLanes(owner, ls, now, leaseUntil);
  }

  @Override
  public Future<Void> pauseLane(String lane, long until) {
    return lanes.pauseLane(lane, until);
  }

  @Override
  public Future<Void> releaseLanes(String owner, long pausedUntil) {
    return lanes.releaseLanes(owner, pausedUntil);
  }

  @Override
  public Future<Optional<JobRecord>> job(String id) {
    return admin.job(id);
  }

  @Override
  public Future<List<JobRecord>> recentJobs(int limit) {
    return admin.recentJobs(limit);
  }

  @Override
  public Future<List<Delivery>> deliveries(DeliveryState state, int limit) {
    return admin.deliveries(state, limit);
  }

  @Override
  public Future<Boolean> replay(long id, long now) {
    return admin.replay(id, now);
  }

  @Override
  public Future<Map<String, long[]>> backlog() {
    return admin.backlog();
  }
}
