package dev.hookgate.store;

import dev.hookgate.protocol.ChatMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store: PostgreSQL through the non-blocking vertx-pg-client, for one node or several
 * sharing one database.
 *
 * <p>Most operations are one statement (data-modifying CTEs where the SQLite store runs several
 * statements in one transaction), so each commits on its own without BEGIN/COMMIT round trips;
 * {@link #enqueueJob} (a per-command advisory lock makes {@code maxQueued} hold across nodes),
 * {@link #recover} (Java callbacks between reads and writes) and the migrations run in explicit
 * transactions.
 *
 * <p>Claims lock their rows with {@code FOR UPDATE SKIP LOCKED}: two nodes claiming at once never
 * take the same row and never wait for each other. A lease holds while {@code now <= lease_until}.
 *
 * <p>Liveness: a node built with a node id writes its heartbeat row ({@code nodes}) at open and
 * every third of {@code liveness}. {@link #recover} takes back only what a node that is not alive
 * holds: rows whose lease has expired, or whose lease owner has no heartbeat within
 * {@code liveness}. Node ids are fresh per process, so what the crashed previous incarnation of
 * this node held is taken back at once, and a live node's leases are never stolen.
 */
public final class PgStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(PgStore.class);
  /** Second key of the advisory locks that serialise enqueueJob per command ("hkgq"). */
  private static final int QUEUE_LOCK_CLASS = 0x686b6771;
  private static final long IDEMPOTENCY_PURGE_EVERY_NS = 60_000_000_000L;
  public static final int DEFAULT_POOL_SIZE = 8;
  /** NOTIFY channels: a job was queued; deliveries were queued (payload: the smallest new id). */
  static final String JOBS_CHANNEL = "hookgate_jobs";
  static final String DELIVERIES_CHANNEL = "hookgate_deliveries";
  /**
   * A CTE {@code n} that notifies the rows of CTE {@code ins} (ids of new or re-queued deliveries),
   * sent at commit; the statement must read {@code n} (a SELECT in WITH runs only when read).
   */
  private static final String NOTIFY_INSERTED = "n AS (SELECT pg_notify('" + DELIVERIES_CHANNEL
      + "', MIN(id)::text) FROM ins HAVING COUNT(*) > 0) ";

  private final Vertx vertx;
  private final PgNotifier notifier;
  /** Wakes this node when another one queues work (only with a node id). */
  private final PgListener listener;
  private final PgConnectOptions connectOptions;
  private final int poolSize;
  private final String nodeId;
  private final Clock clock;
  private final long livenessMs;

  private Pool pool;
  private volatile boolean closed;
  private long heartbeatTimer = -1;
  private volatile long lastPurgeNanos = System.nanoTime();
  /** Operations started and not yet completed: close waits for them. */
  private final Set<Future<?>> inflight = ConcurrentHashMap.newKeySet();

  /**
   * @param nodeId this node's id, whose heartbeat the store keeps; null for none
   * @param liveness how old a heartbeat may be for its node to count as alive (the lease length)
   */
  public PgStore(Vertx vertx, PgConnectOptions connectOptions, int poolSize, String nodeId, Clock clock,
      Duration liveness) {
    this.vertx = vertx;
    this.notifier = new PgNotifier(vertx, () -> closed ? null : pool);
    this.connectOptions = connectOptions;
    this.listener = new PgListener(vertx, connectOptions, () -> closed);
    this.poolSize = poolSize;
    this.nodeId = nodeId;
    this.clock = clock;
    this.livenessMs = liveness.toMillis();
  }

  /** A store without a heartbeat of its own (tests, tools): liveness comes from {@link #ping} alone. */
  public PgStore(Vertx vertx, PgConnectOptions connectOptions) {
    this(vertx, connectOptions, DEFAULT_POOL_SIZE, null, Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /** {@code uri}: {@code postgresql://user:password@host:port/database?param=value}. */
  public static PgStore fromUri(Vertx vertx, String uri, String nodeId, Clock clock, Duration liveness) {
    return new PgStore(vertx, PgConnectOptions.fromUri(uri), DEFAULT_POOL_SIZE, nodeId, clock, liveness);
  }

  @Override
  public Future<Void> open() {
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setName("hookgate-store"))
        .connectingTo(connectOptions)
        .using(vertx)
        .build();
    Future<Void> opened = run("open", () -> PgSchema.migrate(pool).map(applied -> {
      if (applied > 0) {
        LOG.info("PostgreSQL store: applied {} schema migration(s)", applied);
      }
      return (Void) null;
    }));
    if (nodeId == null) {
      return opened;
    }
    return opened.compose(v -> ping(nodeId, clock.millis())).compose(v -> listener.listen().otherwiseEmpty()).onSuccess(v -> {
      heartbeatTimer = vertx.setPeriodic(Math.max(1000, livenessMs / 3), id -> {
        if (!closed) {
          ping(nodeId, clock.millis()).onFailure(e -> LOG.warn("store heartbeat failed: {}", e.getMessage()));
        }
      });
    });
  }

  @Override
  public Future<Void> close() {
    List<Future<?>> pending;
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      pending = List.copyOf(inflight);
    }
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    listener.close();
    if (pool == null) {
      return Future.succeededFuture();
    }
    Context context = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    Future.join(pending).eventually(() -> pool.close())
        .onComplete(ar -> context.runOnContext(x -> done.handle(ar.mapEmpty())));
    return done.future();
  }

  // ---------------------------------------------------------------- lanes (one owner per destination)

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Future<Map<String, Long>> holdLanes(String owner, Collection<String> lanes, long now, long leaseUntil) {
    String[] wanted = lanes.stream().distinct().sorted().toArray(String[]::new);
    if (wanted.length == 0) {
      return run("holdLanes", () -> Future.succeededFuture(Map.of()));
    }
    // a lane nobody holds, or whose lease expired, is taken; the owner's own lease is renewed; a
    // live lease of another node is left alone (and not returned). Sorted: no deadlock between nodes.
    return run("holdLanes", () -> pool.preparedQuery("INSERT INTO lane_leases (lane, owner, lease_until) "
            + "SELECT lane, $2, $4 FROM unnest($1::text[]) AS u(lane) ORDER BY lane "
            + "ON CONFLICT (lane) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until "
            + "WHERE lane_leases.owner = excluded.owner OR lane_leases.owner IS NULL OR lane_leases.lease_until < $3 "
            + "RETURNING lane, paused_until")
        .execute(Tuple.of(wanted, owner, now, leaseUntil))
        .map(rs -> {
          Map<String, Long> held = new HashMap<>();
          rs.forEach(r -> held.put(r.getString("lane"), r.getLong("paused_until")));
          return held;
        }));
  }

  @Override
  public Future<Void> pauseLane(String lane, long until) {
    return run("pauseLane", () -> pool.preparedQuery("UPDATE lane_leases SET paused_until = GREATEST(paused_until, $2) "
        + "WHERE lane = $1").execute(Tuple.of(lane, until)).mapEmpty());
  }

  @Override
  public Future<Void> releaseLanes(String owner, long pausedUntil) {
    return run("releaseLanes", () -> pool.preparedQuery("UPDATE lane_leases SET owner = NULL, lease_until = 0, "
        + "paused_until = GREATEST(paused_until, $2) WHERE owner = $1").execute(Tuple.of(owner, pausedUntil)).mapEmpty());
  }

  /**
   * The response_url deliveries that a dead node queued become this node's (in id order, each
   * lane whole: a second node adopting at once waits for the first, then finds nothing left).
   */
  private Future<Void> adoptDeliveries(SqlConnection c, long now) {
    if (nodeId == null) {
      return Future.succeededFuture();
    }
    return c.preparedQuery("WITH c AS (SELECT id FROM deliveries WHERE state = 'pending' "
            + "AND lane NOT LIKE '" + Lanes.DESTINATION_PREFIX + "%' AND node IS NOT NULL AND node <> $1 "
            + "AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.node = deliveries.node AND n.seen_at >= $2) "
            + "ORDER BY id FOR UPDATE), "
            + "ins AS (UPDATE deliveries SET node = $1 FROM c WHERE deliveries.id = c.id RETURNING deliveries.id AS id), "
            + NOTIFY_INSERTED + "SELECT (SELECT COUNT(*) FROM ins) AS adopted, (SELECT COUNT(*) FROM n) AS notified")
        .execute(Tuple.of(nodeId, now - livenessMs))
        .map(rs -> {
          long adopted = rs.iterator().next().getLong("adopted");
          if (adopted > 0) {
            LOG.info("adopted {} response_url deliveries queued by a node that stopped", adopted);
          }
          return (Void) null;
        });
  }

  @Override
  public Future<Void> returnResponseUrlUse(String jobId) {
    return run("returnResponseUrlUse", () -> pool.preparedQuery(
        "UPDATE jobs SET url_uses = url_uses - 1 WHERE id = $1 AND url_uses > 0").execute(Tuple.of(jobId)).mapEmpty());
  }

  @Override
  public Future<Integer> purgeFinished(long before) {
    return run("purgeFinished", () -> pool.preparedQuery(
        "WITH d AS (DELETE FROM deliveries WHERE state = 'delivered' AND delivered_at < $1 RETURNING 1), "
            + "j AS (DELETE FROM jobs WHERE state IN ('succeeded', 'failed', 'interrupted') AND finished_at < $1 "
            + "AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.job_id = jobs.id AND x.state <> 'delivered') "
            + "RETURNING 1) SELECT (SELECT COUNT(*) FROM d) + (SELECT COUNT(*) FROM j) AS n")
        .execute(Tuple.of(before)).map(rs -> rs.iterator().next().getLong("n").intValue()));
  }

  @Override
  public Future<Void> ping(String node, long now) {
    return run("ping", () -> pool.preparedQuery("INSERT INTO nodes (node, seen_at) VALUES ($1, $2) "
        + "ON CONFLICT (node) DO UPDATE SET seen_at = GREATEST(nodes.seen_at, excluded.seen_at)")
        .execute(Tuple.of(node, now)).mapEmpty());
  }

  // ---------------------------------------------------------------- jobs

  @Override
  public Future<EnqueueResult> enqueueJob(NewJob job, int maxQueued) {
    return run("enqueueJob", () -> {
      Tuple insert = Tuple.of(job.id(), job.command(), RequestJson.encode(job.request()), job.responseUrl(), job.createdAt(),
          maxQueued);
      // the lock makes count-then-insert atomic per command across nodes
      return pool.withTransaction(c -> c.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))")
          .execute(Tuple.of(QUEUE_LOCK_CLASS, job.command()))
          .compose(v -> c.preparedQuery("WITH q AS (SELECT COUNT(*) AS n FROM jobs WHERE command = $2 AND state = 'queued'), "
              + "ins AS (INSERT INTO jobs (id, command, request, response_url, state, created_at) "
              + "SELECT $1, $2, $3, $4, 'queued', $5 FROM q WHERE q.n < $6 RETURNING id) "
              + "SELECT q.n, (SELECT COUNT(*) FROM ins) AS inserted FROM q")
              .execute(insert))
          .map(rs -> {
            Row r = rs.iterator().next();
            if (r.getLong("inserted") == 1) {
              notifier.jobsQueued();
              return new EnqueueResult.Accepted(job.id());
            }
            return new EnqueueResult.QueueFull(r.getLong("n").intValue());
          }));
    });
  }

  @Override
  public Future<Optional<Long>> lastScheduledRun(String schedule) {
    return run("lastScheduledRun", () -> pool.preparedQuery("SELECT last_fired_at FROM schedule_runs WHERE name = $1")
        .execute(Tuple.of(schedule))
        .map(rs -> rs.size() == 0 ? Optional.<Long>empty() : Optional.of(rs.iterator().next().getLong(0))));
  }

  @Override
  public Future<Boolean> enqueueScheduledJob(NewJob job, String schedule, long firedAt) {
    return run("enqueueScheduledJob", () -> pool.preparedQuery(
        "WITH m AS (INSERT INTO schedule_runs (name, last_fired_at) VALUES ($1, $2) "
            + "ON CONFLICT (name) DO UPDATE SET last_fired_at = excluded.last_fired_at "
            + "WHERE excluded.last_fired_at > schedule_runs.last_fired_at RETURNING 1), "
            + "ins AS (INSERT INTO jobs (id, command, request, response_url, state, created_at) "
            + "SELECT $3, $4, $5, $6, 'queued', $7 WHERE EXISTS (SELECT 1 FROM m) RETURNING 1), "
            + "n AS (SELECT pg_notify('" + JOBS_CHANNEL + "', '') FROM ins) "
            + "SELECT (SELECT COUNT(*) FROM m) AS marked, (SELECT COUNT(*) FROM n) AS notified")
        .execute(Tuple.of(schedule, firedAt, job.id(), job.command(), RequestJson.encode(job.request()), job.responseUrl(),
            job.createdAt()))
        .map(rs -> rs.iterator().next().getLong("marked") == 1));
  }

  @Override
  public Future<List<JobRecord>> claimJobs(Map<String, Integer> capacity, String owner, long now, long leaseUntil) {
    List<String> commands = new ArrayList<>();
    List<Integer> limits = new ArrayList<>();
    capacity.forEach((command, n) -> {
      if (n > 0) {
        commands.add(command);
        limits.add(n);
      }
    });
    if (commands.isEmpty()) {
      return run("claimJobs", () -> Future.succeededFuture(List.of()));
    }
    return run("claimJobs", () -> pool.preparedQuery(
        // per command, oldest first: queued rows and running rows whose lease expired
        "WITH cap AS (SELECT * FROM unnest($1::text[], $2::int[]) AS t(command, n)), "
            + "c AS (SELECT l.id FROM cap CROSS JOIN LATERAL (SELECT id FROM jobs WHERE jobs.command = cap.command "
            + "AND (state = 'queued' OR (state = 'running' AND lease_until < $3)) "
            + "ORDER BY created_at, id LIMIT cap.n FOR UPDATE SKIP LOCKED) l) "
            + "UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, started_at = $3, "
            + "lease_owner = $4, lease_until = $5, finished_at = NULL, outcome = NULL "
            + "FROM c WHERE jobs.id = c.id RETURNING jobs.*")
        .execute(Tuple.of(commands.toArray(new String[0]), limits.toArray(new Integer[0]), now, owner, leaseUntil))
        .map(rs -> {
          List<JobRecord> jobs = jobs(rs);
          jobs.sort(Comparator.comparingLong(JobRecord::createdAt).thenComparing(JobRecord::id));
          return jobs;
        }));
  }

  @Override
  public Future<Void> finishJob(String jobId, JobState state, String outcome, long now, List<NewDelivery> deliveries) {
    return run("finishJob", () -> {
      Tuple t = deliveryArrays(deliveries).addString(state.dbName()).addString(outcome).addLong(now).addString(jobId);
      return pool.preparedQuery("WITH j AS (UPDATE jobs SET state = $11, outcome = $12, finished_at = $13, "
          + "lease_owner = NULL, lease_until = NULL WHERE id = $14 RETURNING 1), "
          + "ins AS (" + INSERT_DELIVERIES + "ORDER BY ord RETURNING id), " + NOTIFY_INSERTED
          + "SELECT (SELECT COUNT(*) FROM n) AS notified")
          .execute(t).mapEmpty();
    });
  }

  @Override
  public Future<Optional<JobRecord>> job(String id) {
    return run("job", () -> pool.preparedQuery("SELECT * FROM jobs WHERE id = $1").execute(Tuple.of(id))
        .map(rs -> jobs(rs).stream().findFirst()));
  }

  @Override
  public Future<List<JobRecord>> recentJobs(int limit) {
    return run("recentJobs", () -> pool.preparedQuery("SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT $1")
        .execute(Tuple.of(limit)).map(PgStore::jobs));
  }

  /** Rows held by no live node: no lease, an expired one, or an owner without a recent heartbeat. */
  private static String heldByNoLiveNode(String table) {
    return "(" + table + ".lease_owner IS NULL OR " + table + ".lease_until IS NULL OR " + table + ".lease_until < $1 "
        + "OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.node = " + table + ".lease_owner AND n.seen_at >= $2))";
  }

  @Override
  public Future<Integer> recover(long now, Function<String, Boolean> rerun,
      Function<JobRecord, List<NewDelivery>> notice) {
    Tuple times = Tuple.of(now, now - livenessMs);
    return run("recover", () -> pool.withTransaction(c -> c.preparedQuery(
        "SELECT * FROM jobs WHERE state = 'running' AND " + heldByNoLiveNode("jobs")
            + " ORDER BY created_at, id FOR UPDATE SKIP LOCKED").execute(times)
        .compose(rs -> {
          List<JobRecord> running = jobs(rs);
          List<String> again = new ArrayList<>();
          List<String> interrupted = new ArrayList<>();
          List<NewDelivery> notices = new ArrayList<>();
          Tuple noticeInsert;
          try { // the callbacks may throw anything: the transaction then rolls back
            for (JobRecord j : running) {
              if (rerun.apply(j.command())) {
                again.add(j.id());
              } else {
                interrupted.add(j.id());
                notices.addAll(notice.apply(j));
              }
            }
            noticeInsert = deliveryArrays(notices);
          } catch (Throwable e) {
            return Future.failedFuture(e);
          }
          return c.preparedQuery("UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL, "
                  + "finished_at = NULL, outcome = NULL WHERE id = ANY($1::text[])")
              .execute(Tuple.of(again.toArray(new String[0])))
              .compose(v -> c.preparedQuery("UPDATE jobs SET state = 'interrupted', lease_owner = NULL, "
                      + "lease_until = NULL, finished_at = $1, outcome = $2 WHERE id = ANY($3::text[])")
                  .execute(Tuple.of(now, "interrupted by a restart of the gateway", interrupted.toArray(new String[0]))))
              .compose(v -> notices.isEmpty() ? Future.succeededFuture()
                  : c.preparedQuery("WITH ins AS (" + INSERT_DELIVERIES + "ORDER BY ord RETURNING id), "
                      + NOTIFY_INSERTED + "SELECT COUNT(*) FROM n").execute(noticeInsert))
              .compose(v -> again.isEmpty() ? Future.succeededFuture()
                  : c.query("SELECT COUNT(*) FROM (SELECT pg_notify('" + JOBS_CHANNEL + "', '')) n").execute())
              .compose(v -> adoptDeliveries(c, now))
              .compose(v -> c.preparedQuery("UPDATE deliveries SET lease_owner = NULL, lease_until = NULL "
                  + "WHERE state = 'pending' AND lease_owner IS NOT NULL AND " + heldByNoLiveNode("deliveries"))
                  .execute(times))
              .map(v -> running.size());
        })));
  }

  // ---------------------------------------------------------------- deliveries

  /** $1..$10: the arrays of {@link #deliveryArrays} and this node; ids follow the list's order. */
  private static final String INSERT_DELIVERIES = "INSERT INTO deliveries (lane, destination, response_url, fallback, "
      + "job_id, hook, payload, state, created_at, not_before, node) "
      + "SELECT lane, destination, response_url, fallback, job_id, hook, payload, 'pending', created_at, not_before, "
      + "$10::text "
      + "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
      + "$8::bigint[], $9::bigint[]) WITH ORDINALITY "
      + "AS u(lane, destination, response_url, fallback, job_id, hook, payload, created_at, not_before, ord) ";

  @Override
  public Future<Boolean> enqueueDeliveries(List<NewDelivery> deliveries, String scope, String key, long windowMs) {
    return run("enqueueDeliveries", () -> {
      Tuple t = deliveryArrays(deliveries);
      if (key == null) {
        if (deliveries.isEmpty()) {
          return Future.succeededFuture(true);
        }
        return pool.preparedQuery("WITH ins AS (" + INSERT_DELIVERIES + "ORDER BY ord RETURNING id) "
            + "SELECT MIN(id) AS first FROM ins").execute(t)
            .map(rs -> {
              notifier.deliveriesQueued(rs.iterator().next().getLong("first"));
              return true;
            });
      }
      long now = deliveries.isEmpty() ? clock.millis() : deliveries.get(0).createdAt();
      t.addString(scope == null ? "" : scope).addString(key).addLong(now).addLong(windowMs);
      // a key older than the window is taken over, a younger one drops the request; a concurrent
      // insert of the same key waits for the first to commit, then sees it
      return pool.preparedQuery("WITH k AS (INSERT INTO idempotency_keys (scope, key, created_at) VALUES ($11, $12, $13) "
              + "ON CONFLICT (scope, key) DO UPDATE SET created_at = excluded.created_at "
              + "WHERE idempotency_keys.created_at < excluded.created_at - $14 RETURNING 1), "
              + "ins AS (" + INSERT_DELIVERIES + "WHERE EXISTS (SELECT 1 FROM k) ORDER BY ord RETURNING id) "
              + "SELECT (SELECT COUNT(*) FROM k) AS accepted, (SELECT MIN(id) FROM ins) AS first")
          .execute(t)
          .map(rs -> {
            Row r = rs.iterator().next();
            notifier.deliveriesQueued(r.getLong("first"));
            return r.getLong("accepted") == 1;
          })
          .onSuccess(v -> purgeIdempotencyKeys(now - windowMs));
    });
  }

  /** Now and then, forgets the keys older than the window (they would be taken over anyway). */
  private void purgeIdempotencyKeys(long before) {
    long t = System.nanoTime();
    if (t - lastPurgeNanos < IDEMPOTENCY_PURGE_EVERY_NS || closed) {
      return;
    }
    lastPurgeNanos = t;
    run("purgeIdempotencyKeys", () -> pool.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < $1")
        .execute(Tuple.of(before)).mapEmpty())
        .onFailure(e -> LOG.warn("purging idempotency keys failed: {}", e.getMessage()));
  }

  @Override
  public Future<List<Delivery>> claimDeliveries(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId) {
    return claim(skipLanes, perLane, max, owner, now, leaseUntil, afterId, false);
  }

  /**
   * A delivery this owner may send: of a destination lane whose lane lease it holds, or of a
   * response_url lane it queued (or adopted, see {@link #adoptDeliveries}).
   */
  private static final String OWNED = "AND (CASE WHEN deliveries.lane LIKE '" + Lanes.DESTINATION_PREFIX + "%' "
      + "THEN EXISTS (SELECT 1 FROM lane_leases ll WHERE ll.lane = deliveries.lane AND ll.owner = $5 "
      + "AND ll.lease_until >= $1) ELSE (deliveries.node IS NULL OR deliveries.node = $5) END) ";

  private Future<List<Delivery>> claim(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId, boolean ownedOnly) {
    String owned = ownedOnly ? OWNED : "";
    String[] skip = skipLanes.toArray(new String[0]);
    String lock = afterId >= 0
        // the fast path: rows newer than what this node already saw, by primary key
        ? "locked AS (SELECT id FROM deliveries WHERE id > $6 AND state = 'pending' "
            + "AND (lease_until IS NULL OR lease_until < $1) AND lane <> ALL($2::text[]) " + owned
            + "ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) "
        // the full sweep: every pending row nobody holds, at most perLane per lane
        : "cand AS (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY lane ORDER BY id) AS rn "
            + "FROM deliveries WHERE state = 'pending' AND (lease_until IS NULL OR lease_until < $1) "
            + "AND lane <> ALL($2::text[]) " + owned + ") w WHERE rn <= $3 ORDER BY id LIMIT $4), "
            + "locked AS (SELECT d.id FROM deliveries d JOIN cand ON d.id = cand.id WHERE d.state = 'pending' "
            + "AND (d.lease_until IS NULL OR d.lease_until < $1) FOR UPDATE OF d SKIP LOCKED) ";
    String sql = "WITH " + lock + "UPDATE deliveries SET lease_owner = $5, lease_until = $7 "
        + "FROM locked WHERE deliveries.id = locked.id RETURNING deliveries.*";
    return run("claimDeliveries", () -> pool.preparedQuery(sql)
        .execute(Tuple.of(now, skip, perLane, max, owner, afterId, leaseUntil))
        .map(rs -> {
          List<Delivery> out = deliveries(rs);
          out.sort(Comparator.comparingLong(Delivery::id));
          return out;
        }));
  }

  @Override
  public Future<List<Delivery>> claimOwnedDeliveries(Collection<String> skipLanes, int perLane, int max, String owner,
      long now, long leaseUntil, long afterId) {
    return claim(skipLanes, perLane, max, owner, now, leaseUntil, afterId, true);
  }

  @Override
  public Future<Void> renewLeases(String owner, Collection<String> jobIds, Collection<Long> deliveryIds, long leaseUntil) {
    String[] jobs = jobIds.toArray(new String[0]);
    Long[] deliveries = deliveryIds.toArray(new Long[0]);
    return run("renewLeases", () -> pool.preparedQuery(
        "WITH j AS (UPDATE jobs SET lease_until = $1 WHERE id = ANY($2::text[]) AND lease_owner = $3 "
            + "AND state = 'running' RETURNING 1) "
            + "UPDATE deliveries SET lease_until = $1 WHERE id = ANY($4::bigint[]) AND lease_owner = $3 "
            + "AND state = 'pending'")
        .execute(Tuple.of(leaseUntil, jobs, owner, deliveries)).mapEmpty());
  }

  @Override
  public Future<Void> markDelivered(Collection<Long> ids, long now) {
    return update("markDelivered", "UPDATE deliveries SET state = 'delivered', delivered_at = $2, "
        + "attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = ANY($1::bigint[])", ids, now);
  }

  @Override
  public Future<Void> recordAttempt(Collection<Long> ids, String error, boolean countsAsAttempt) {
    return update("recordAttempt", "UPDATE deliveries SET attempts = attempts + $2, last_error = $3 "
        + "WHERE id = ANY($1::bigint[])", ids, countsAsAttempt ? 1 : 0, error);
  }

  @Override
  public Future<Void> markDead(Collection<Long> ids, String error, long now) {
    return update("markDead", "UPDATE deliveries SET state = 'dead', last_error = $2, delivered_at = NULL, "
        + "lease_owner = NULL, lease_until = NULL WHERE id = ANY($1::bigint[])", ids, error);
  }

  @Override
  public Future<Void> retarget(Collection<Long> ids, String destination) {
    return update("retarget", "UPDATE deliveries SET destination = $2, response_url = NULL, fallback = NULL, "
        + "lane = $3 WHERE id = ANY($1::bigint[])", ids, destination, Lanes.of(destination, null));
  }

  @Override
  public Future<Boolean> replay(long id, long now) {
    return run("replay", () -> pool.preparedQuery("WITH ins AS (UPDATE deliveries SET state = 'pending', attempts = 0, "
            + "not_before = $2, created_at = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND state = 'dead' "
            + "RETURNING id), " + NOTIFY_INSERTED + "SELECT (SELECT COUNT(*) FROM ins) AS n, (SELECT COUNT(*) FROM n) AS notified")
        .execute(Tuple.of(id, now)).map(rs -> rs.iterator().next().getLong("n") == 1));
  }

  @Override
  public Future<List<Delivery>> deliveries(DeliveryState state, int limit) {
    return run("deliveries", () -> pool.preparedQuery(
        "SELECT * FROM deliveries WHERE state = $1 ORDER BY id DESC LIMIT $2")
        .execute(Tuple.of(state.dbName(), limit)).map(PgStore::deliveries));
  }

  @Override
  public Future<Optional<Delivery>> delivery(long id) {
    return run("delivery", () -> pool.preparedQuery("SELECT * FROM deliveries WHERE id = $1").execute(Tuple.of(id))
        .map(rs -> deliveries(rs).stream().findFirst()));
  }

  @Override
  public Future<Map<String, long[]>> backlog() {
    return run("backlog", () -> pool.query(
        "SELECT CASE WHEN destination IS NULL THEN 'resp:' ELSE lane END AS l, COUNT(*) AS n, MIN(created_at) AS oldest "
            + "FROM deliveries WHERE state = 'pending' GROUP BY 1").execute()
        .map(rs -> {
          Map<String, long[]> out = new LinkedHashMap<>();
          for (Row r : rs) {
            out.put(r.getString("l"), new long[] {r.getLong("n"), r.getLong("oldest")});
          }
          return out;
        }));
  }

  // ---------------------------------------------------------------- response_url budgets

  @Override
  public Future<Boolean> tryUseResponseUrl(String jobId, long now, long lifetimeMs, int maxUses) {
    return run("tryUseResponseUrl", () -> pool.preparedQuery("UPDATE jobs SET url_uses = url_uses + 1 "
            + "WHERE id = $1 AND url_uses < $2 AND created_at > $3")
        .execute(Tuple.of(jobId, maxUses, now - lifetimeMs)).map(rs -> rs.rowCount() == 1));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Runs an operation unless the store is closed; its future completes on the caller's context.
   * Whatever the operation throws (an Error too) fails its future.
   */
  private <T> Future<T> run(String name, Supplier<Future<T>> op) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    Future<T> result = promise.future();
    synchronized (this) {
      if (closed || pool == null) {
        return Future.failedFuture(new IllegalStateException("store is closed"));
      }
      inflight.add(result);
    }
    result.onComplete(ar -> inflight.remove(result));
    Future<T> f;
    try {
      f = op.get();
    } catch (Throwable e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.failed() && LOG.isDebugEnabled()) {
        LOG.debug("store operation {} failed: {}", name, ar.cause().toString());
      }
      if (Vertx.currentContext() == context) {
        promise.handle(ar);
      } else {
        context.runOnContext(x -> promise.handle(ar));
      }
    });
    return result;
  }

  private Future<Void> update(String name, String sql, Collection<Long> ids, Object... more) {
    if (ids.isEmpty()) {
      return run(name, Future::succeededFuture);
    }
    Tuple t = Tuple.tuple().addValue(ids.toArray(new Long[0]));
    for (Object o : more) {
      t.addValue(o);
    }
    return run(name, () -> pool.preparedQuery(sql).execute(t).mapEmpty());
  }

  /** $1..$10 of {@link #INSERT_DELIVERIES}. Throws if a delivery cannot be stored (no message). */
  private Tuple deliveryArrays(List<NewDelivery> deliveries) {
    int n = deliveries.size();
    String[] lane = new String[n];
    String[] destination = new String[n];
    String[] responseUrl = new String[n];
    String[] fallback = new String[n];
    String[] jobId = new String[n];
    String[] hook = new String[n];
    String[] payload = new String[n];
    Long[] createdAt = new Long[n];
    Long[] notBefore = new Long[n];
    for (int i = 0; i < n; i++) {
      NewDelivery d = deliveries.get(i);
      lane[i] = d.lane();
      destination[i] = d.destination();
      responseUrl[i] = d.responseUrl();
      fallback[i] = d.fallback();
      jobId[i] = d.jobId();
      hook[i] = d.hook();
      payload[i] = d.message().encode();
      createdAt[i] = d.createdAt();
      notBefore[i] = d.notBefore();
    }
    return Tuple.tuple().addValue(lane).addValue(destination).addValue(responseUrl).addValue(fallback)
        .addValue(jobId).addValue(hook).addValue(payload).addValue(createdAt).addValue(notBefore)
        .addValue(nodeId);
  }

  private static List<JobRecord> jobs(RowSet<Row> rs) {
    List<JobRecord> out = new ArrayList<>(rs.size());
    for (Row r : rs) {
      out.add(new JobRecord(r.getString("id"), r.getString("command"), RequestJson.decode(r.getString("request")),
          r.getString("response_url"), JobState.fromDb(r.getString("state")), r.getInteger("attempts"),
          r.getLong("created_at"), r.getLong("started_at"), r.getLong("finished_at"), r.getString("outcome")));
    }
    return out;
  }

  private static List<Delivery> deliveries(RowSet<Row> rs) {
    List<Delivery> out = new ArrayList<>(rs.size());
    for (Row r : rs) {
      out.add(new Delivery(r.getLong("id"), r.getString("destination"), r.getString("response_url"),
          r.getString("fallback"), r.getString("job_id"), r.getString("hook"),
          ChatMessage.fromJson(r.getString("payload")), DeliveryState.fromDb(r.getString("state")),
          r.getInteger("attempts"), r.getLong("created_at"), r.getLong("not_before"), r.getString("last_error"),
          r.getLong("delivered_at")));
    }
    return out;
  }


}
