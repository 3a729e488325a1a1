package dev.hookgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract against PostgreSQL: each test gets a database of its own, created from the
 * server of {@code HOOKGATE_TEST_PG_URI} (default {@code postgresql://postgres@127.0.0.1:5432/postgres})
 * and dropped after the test. Without a reachable server the class is skipped with one line
 * saying so, except under {@code CI=true}, where it must run.
 */
class PgStoreTest extends StoreContractTest {
  static final String DEFAULT_URI = "postgresql://postgres@127.0.0.1:5432/postgres";

  private static Vertx adminVertx;
  private static Pool admin;
  private static PgConnectOptions server;

  private String database;

  @BeforeAll
  static void connect() throws Exception {
    String uri = System.getenv().getOrDefault("HOOKGATE_TEST_PG_URI", DEFAULT_URI);
    boolean ci = "true".equals(System.getenv("CI"));
    server = PgConnectOptions.fromUri(uri);
    adminVertx = Vertx.vertx();
    admin = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .with(new NetClientOptions().setConnectTimeout(3_000)).connectingTo(server).using(adminVertx).build();
    try {
      admin.query("SELECT 1").execute().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      if (ci) {
        throw new AssertionError("PostgreSQL at " + server.getHost() + ":" + server.getPort()
            + " is not reachable and CI=true: " + e, e);
      }
      String why = "PgStoreTest skipped: PostgreSQL not reachable at " + server.getHost() + ":" + server.getPort()
          + " (" + e.getMessage() + "); set HOOKGATE_TEST_PG_URI or run PostgreSQL (under CI=true this fails)";
      System.out.println(why);
      Assumptions.abort(why);
    }
  }

  @AfterAll
  static void close() throws Exception {
    if (admin != null) {
      admin.close().await(10, TimeUnit.SECONDS);
      admin = null;
    }
    if (adminVertx != null) {
      adminVertx.close().await(10, TimeUnit.SECONDS);
      adminVertx = null;
    }
  }

  @Override
  protected Store newStore(Vertx vertx) throws Exception {
    return SqlStore.postgres(vertx, uri(), "node-" + UUID.randomUUID(), Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /** The test database as {@code store.postgres.uri}. */
  private String uri() throws Exception {
    PgConnectOptions o = options();
    String password = o.getPassword() == null || o.getPassword().isEmpty() ? "" : ":" + o.getPassword();
    return "postgresql://" + o.getUser() + password + "@" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  private PgConnectOptions options() throws Exception {
    if (database == null) {
      String name = "hookgate_test_" + UUID.randomUUID().toString().replace("-", "");
      admin.query("CREATE DATABASE " + name).execute().await(10, TimeUnit.SECONDS);
      database = name;
    }
    return new PgConnectOptions(server).setDatabase(database);
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (store != null) { // the store first: its connections hold the database
      await(store.close());
      store = null;
    }
    if (database != null) {
      admin.query("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").execute().await(10, TimeUnit.SECONDS);
      database = null;
    }
  }

  // ================================================================== PostgreSQL only

  @Test
  void reopening_applies_each_migration_once() throws Exception {
    reopen();
    reopen();

    Row r = await(query("SELECT COUNT(*) AS n, MAX(version) AS v FROM schema_version")).get(0);
    assertEquals(PgSchema.MIGRATIONS.size(), r.getLong("n").intValue());
    assertEquals(PgSchema.MIGRATIONS.size(), r.getInteger("v"));
  }

  @Test
  void nodes_starting_at_once_migrate_once() throws Exception {
    await(store.close());
    store = null;
    await(query("DROP TABLE jobs, deliveries, idempotency_keys, nodes, schedule_runs, schema_version, lane_leases, queue_depth"));
    List<Store> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(newStore(vertx));
    }
    try {
      await(Future.all(nodes.stream().map(Store::open).toList()));
    } finally {
      await(Future.join(nodes.stream().map(Store::close).toList()));
    }
    assertEquals(PgSchema.MIGRATIONS.size(),
        await(query("SELECT COUNT(*) AS n FROM schema_version")).get(0).getLong("n").intValue());
  }

  @Test
  void two_nodes_claiming_at_once_never_take_the_same_row() throws Exception {
    Store other = newStore(vertx);
    await(other.open());
    try {
      List<NewDelivery> batch = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        batch.add(dest("lane-" + (i % 5), 100 + i));
      }
      await(store.enqueueDeliveries(batch, null, null, 0));
      for (int i = 0; i < 200; i++) {
        await(store.enqueueJob(newJob("j" + i, "deploy", i), 1_000));
      }

      List<Future<List<Delivery>>> deliveryClaims = new ArrayList<>();
      List<Future<List<JobRecord>>> jobClaims = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Store s = i % 2 == 0 ? store : other;
        deliveryClaims.add(s.claimDeliveries(List.of(), 10, 40, "node-" + (i % 2), 1_000, 31_000, -1));
        jobClaims.add(s.claimJobs(Map.of("deploy", 15), "node-" + (i % 2), 1_000, 31_000));
      }
      await(Future.all(deliveryClaims));
      await(Future.all(jobClaims));

      List<Long> deliveryIds = new ArrayList<>();
      deliveryClaims.forEach(f -> f.result().forEach(d -> deliveryIds.add(d.id())));
      // concurrent sweeps pick their candidates from one snapshot and skip what the other locked:
      // they may take fewer than they could, never the same row
      List<Delivery> rest;
      while (!(rest = await(other.claimDeliveries(List.of(), 10, 100, "node-1", 1_000, 31_000, -1))).isEmpty()) {
        rest.forEach(d -> deliveryIds.add(d.id()));
      }
      assertEquals(deliveryIds.size(), new HashSet<>(deliveryIds).size(), "a delivery claimed twice");
      assertEquals(500, deliveryIds.size());
      List<String> jobIds = new ArrayList<>();
      jobClaims.forEach(f -> f.result().forEach(j -> jobIds.add(j.id())));
      assertEquals(jobIds.size(), new HashSet<>(jobIds).size(), "a job claimed twice");
      assertEquals(200, jobIds.size());
    } finally {
      await(other.close());
    }
  }

  @Test
  void max_queued_holds_for_enqueues_from_several_nodes_at_once() throws Exception {
    Store other = newStore(vertx);
    await(other.open());
    try {
      List<Future<EnqueueResult>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        results.add((i % 2 == 0 ? store : other).enqueueJob(newJob("j" + i, "deploy", i), 10));
      }
      await(Future.all(results));
      assertEquals(10, results.stream().filter(f -> f.result() instanceof EnqueueResult.Accepted).count());
    } finally {
      await(other.close());
    }
  }

  @Test
  void one_idempotency_key_posted_to_several_nodes_at_once_is_queued_once() throws Exception {
    Store other = newStore(vertx);
    await(other.open());
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        results.add((i % 2 == 0 ? store : other).enqueueDeliveries(List.of(dest("ops", 1_000 + i)), "hook:alerts",
            "the-same-key", 60_000));
      }
      await(Future.all(results));
      assertEquals(1, results.stream().filter(Future::result).count());
      assertEquals(1, await(store.deliveries(DeliveryState.PENDING, 100)).size());
    } finally {
      await(other.close());
    }
  }

  @Test
  void recover_leaves_alone_what_a_live_node_holds() throws Exception {
    await(store.enqueueJob(newJob("live", "deploy", 100), 10));
    await(store.enqueueJob(newJob("dead", "deploy", 200), 10));
    await(store.enqueueDeliveries(List.of(dest("a", 100), dest("b", 100)), null, null, 0));
    await(store.ping("node-live", 1_500));
    await(store.ping("node-dead", 1_500 - 60_000));
    await(store.claimJobs(Map.of("deploy", 1), "node-live", 1_000, 31_000));
    await(store.claimJobs(Map.of("deploy", 1), "node-dead", 1_000, 31_000));
    await(store.claimDeliveries(List.of(), 1, 1, "node-live", 1_000, 31_000, -1));
    await(store.claimDeliveries(List.of(), 1, 1, "node-dead", 1_000, 31_000, -1));

    // a node restarting (with a new id) while node-live runs
    assertEquals(1, await(store.recover(2_000, c -> true, j -> List.of())));

    assertEquals(JobState.RUNNING, await(store.job("live")).orElseThrow().state());
    assertEquals(JobState.QUEUED, await(store.job("dead")).orElseThrow().state());
    List<Delivery> free = await(store.claimDeliveries(List.of(), 10, 10, "node-new", 2_000, 32_000, -1));
    assertEquals(List.of("dest:b"), free.stream().map(Delivery::lane).toList());
  }

  @Test
  void a_node_store_keeps_its_own_heartbeat() throws Exception {
    Store node = SqlStore.postgres(vertx, uri(), "node-x", Clock.systemUTC(), Duration.ofSeconds(30));
    await(node.open());
    try {
      List<Row> rows = await(query("SELECT seen_at FROM nodes WHERE node = 'node-x'"));
      assertEquals(1, rows.size());
      assertTrue(Math.abs(rows.get(0).getLong("seen_at") - System.currentTimeMillis()) < 60_000);
    } finally {
      await(node.close());
    }
  }

  @Test
  void schedules_fire_once_across_nodes() throws Exception {
    Store other = newStore(vertx);
    await(other.open());
    try {
      List<Future<Boolean>> fired = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        fired.add((i % 2 == 0 ? store : other).enqueueScheduledJob(newJob("s" + i, "report", 1_000), "nightly", 1_000));
      }
      await(Future.all(fired));
      assertEquals(1, fired.stream().filter(Future::result).count());
      Set<String> queued = new HashSet<>();
      await(store.recentJobs(100)).forEach(j -> queued.add(j.id()));
      assertEquals(1, queued.size());
    } finally {
      await(other.close());
    }
  }

  private Future<List<Row>> query(String sql) throws Exception {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(options()).using(vertx).build();
    return pool.preparedQuery(sql).execute(Tuple.tuple()).map(rs -> {
      List<Row> rows = new ArrayList<>();
      rs.forEach(rows::add);
      return rows;
    }).eventually(pool::close);
  }
}
