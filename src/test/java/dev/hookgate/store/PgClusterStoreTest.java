package dev.hookgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.Addresses;
import dev.hookgate.e2e.PgTestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What several nodes on one PostgreSQL database need beyond the contract: lane leases, owned claims, adoption, NOTIFY. */
class PgClusterStoreTest {
  private PgTestDatabase db;
  private Vertx vertx;
  private Store a;
  private Store b;

  @BeforeEach
  void open() throws Exception {
    db = PgTestDatabase.create("PgClusterStoreTest");
    vertx = Vertx.vertx();
    a = node("node-a", 1);
    b = node("node-b", 1);
  }

  /** One writer each: the batches the tests build with {@link WriterHold} are the node's only ones. */
  private Store node(String id, int writers) throws Exception {
    Store s = SqlStore.postgres(vertx, db.uri(), id, Clock.systemUTC(), Duration.ofSeconds(30), writers);
    await(s.open());
    return s;
  }

  @AfterEach
  void close() throws Exception {
    try {
      await(Future.join(a.close(), b.close()));
      await(vertx.close());
    } finally {
      db.close();
    }
  }

  @Test
  void a_lane_has_one_owner_until_its_lease_expires_and_keeps_its_pause() throws Exception {
    assertEquals(Map.of("dest:ops", 0L), await(a.holdLanes("node-a", List.of("dest:ops"), 1_000, 4_000)));
    assertEquals(Map.of(), await(b.holdLanes("node-b", List.of("dest:ops"), 2_000, 5_000)));
    await(a.pauseLane("dest:ops", 9_000));
    assertEquals(Map.of("dest:ops", 9_000L), await(a.holdLanes("node-a", List.of("dest:ops"), 3_000, 6_000)));
    assertEquals(Map.of(), await(b.holdLanes("node-b", List.of("dest:ops"), 6_000, 9_000)));
    // a's lease (6,000) expired: b takes the lane over, with the Retry-After a recorded
    assertEquals(Map.of("dest:ops", 9_000L), await(b.holdLanes("node-b", List.of("dest:ops"), 6_001, 9_001)));
    assertEquals(Map.of(), await(a.holdLanes("node-a", List.of("dest:ops"), 6_002, 9_002)));
    await(b.releaseLanes("node-b", 12_000));
    assertEquals(Map.of("dest:ops", 12_000L), await(a.holdLanes("node-a", List.of("dest:ops"), 7_000, 10_000)));
  }

  /**
   * Node a, up first, holds all four destination lanes and has claimed a delivery on each; node b
   * comes up: it asks for its share, a hands two lanes over at its next renewal, b holds them after
   * a one-second pause, and each then keeps two. The delivery a claimed on a lane it handed over
   * stays a's until a sends it: b's claims never return it.
   */
  @Test
  void a_node_starting_later_takes_a_fair_share_of_lanes_and_no_delivery_is_claimed_twice() throws Exception {
    List<String> lanes = List.of("dest:d1", "dest:d2", "dest:d3", "dest:d4");
    await(a.enqueueDeliveries(List.of(dest("d1"), dest("d2"), dest("d3"), dest("d4")), null, null, 0));
    long t = System.currentTimeMillis();
    assertEquals(4, await(a.holdLanes("node-a", lanes, t, t + 30_000)).size());
    List<Long> claimedByA = await(a.claimOwnedDeliveries(List.of(), 10, 100, "node-a", t, t + 30_000, -1))
        .stream().map(Delivery::id).toList();
    assertEquals(4, claimedByA.size());

    assertEquals(Map.of(), await(b.holdLanes("node-b", lanes, t + 1, t + 30_001)), "b asks, takes nothing yet");
    assertEquals(Set.of("dest:d3", "dest:d4"), await(a.holdLanes("node-a", lanes, t + 2, t + 30_002)).keySet());
    Map<String, Long> forB = await(b.holdLanes("node-b", lanes, t + 3, t + 30_003));
    assertEquals(Map.of("dest:d1", t + 2 + SqlLaneLeases.HANDOVER_PAUSE_MS, "dest:d2", t + 2 + SqlLaneLeases.HANDOVER_PAUSE_MS),
        forB, "b holds two lanes, paused while a may still be posting");
    // stable: each renews its two
    assertEquals(Set.of("dest:d3", "dest:d4"), await(a.holdLanes("node-a", lanes, t + 4, t + 30_004)).keySet());
    assertEquals(Set.of("dest:d1", "dest:d2"), await(b.holdLanes("node-b", lanes, t + 5, t + 30_005)).keySet());

    await(b.enqueueDeliveries(List.of(dest("d1"), dest("d3")), null, null, 0));
    List<Delivery> claimedByB = await(b.claimOwnedDeliveries(List.of(), 10, 100, "node-b", t + 6, t + 30_006, -1));
    assertEquals(List.of("dest:d1"), claimedByB.stream().map(Delivery::lane).toList(), "b's lanes, new rows only");
    assertTrue(claimedByB.stream().noneMatch(d -> claimedByA.contains(d.id())), "a's claimed deliveries stay a's");
  }

  @Test
  void owned_claims_take_only_owned_destinations_and_own_replies() throws Exception {
    await(a.enqueueDeliveries(List.of(dest("ops"), dest("dev"), reply("j1")), null, null, 0));
    await(b.enqueueDeliveries(List.of(reply("j2")), null, null, 0));
    await(a.holdLanes("node-a", List.of("dest:ops"), 1_000, 60_000));
    await(b.holdLanes("node-b", List.of("dest:dev"), 1_000, 60_000));
    long now = System.currentTimeMillis();
    List<Delivery> forA = await(a.claimOwnedDeliveries(List.of(), 10, 100, "node-a", 1_000, now + 60_000, -1));
    List<Delivery> forB = await(b.claimOwnedDeliveries(List.of(), 10, 100, "node-b", 1_000, now + 60_000, 0));
    assertEquals(List.of("dest:ops", "resp:j1"), forA.stream().map(Delivery::lane).toList());
    assertEquals(List.of("dest:dev", "resp:j2"), forB.stream().map(Delivery::lane).toList());
  }

  @Test
  void the_replies_of_a_dead_node_are_adopted_whole() throws Exception {
    await(b.enqueueDeliveries(List.of(reply("j2"), reply("j2")), null, null, 0));
    long now = System.currentTimeMillis();
    // b is alive: its replies stay its own
    await(a.recover(now, c -> true, j -> List.of()));
    assertEquals(0, await(a.claimOwnedDeliveries(List.of(), 10, 100, "node-a", now, now + 30_000, -1)).size());
    // b's heartbeat is older than the liveness window (30 s): a adopts them
    db.query("UPDATE nodes SET seen_at = 0 WHERE node = 'node-b'");
    await(a.recover(System.currentTimeMillis(), c -> true, j -> List.of()));
    assertEquals(2, await(a.claimOwnedDeliveries(List.of(), 10, 100, "node-a", now, now + 30_000, -1)).size());
  }

  @Test
  void another_nodes_deliveries_wake_this_node_with_their_first_id() throws Exception {
    LinkedBlockingQueue<Object> woken = new LinkedBlockingQueue<>();
    vertx.eventBus().consumer(Addresses.DELIVERIES_READY, m -> woken.add(m.body() == null ? "null" : m.body()));
    vertx.eventBus().consumer(Addresses.JOBS_READY, m -> woken.add("job"));
    Thread.sleep(200);
    woken.clear(); // the wake-ups of the LISTEN connections opening
    await(b.enqueueDeliveries(List.of(dest("ops"), dest("ops")), null, null, 0));
    Object first = woken.poll(5, TimeUnit.SECONDS);
    assertTrue(first instanceof Long, "a delivery wake-up with an id: " + first);
    long minId = db.query("SELECT MIN(id) AS m FROM deliveries").get(0).getLong("m");
    assertEquals(minId, first);
    await(b.enqueueJob(new NewJob("j9", "deploy", Map.of("text", "x"), "", 1_000), 10));
    Object job;
    do {
      job = woken.poll(5, TimeUnit.SECONDS);
    } while (job instanceof Long);
    assertEquals("job", job);
  }

  /**
   * Two nodes whose group commits take places in the queues of two commands in opposite orders:
   * each batch locks its queue counts in one order first, so neither waits on the other in a cycle
   * (a deadlock would abort one transaction after deadlock_timeout and re-run its operations one by
   * one: more transactions than the two each node commits here).
   */
  @Test
  void two_nodes_queueing_two_commands_in_opposite_orders_in_one_batch_each_never_deadlock() throws Exception {
    SqlStore nodeA = (SqlStore) a;
    SqlStore nodeB = (SqlStore) b;
    long before = nodeA.stats().transactions() + nodeB.stats().transactions();
    CountDownLatch heldA = WriterHold.hold(op -> nodeA.write("hold", op));
    CountDownLatch heldB = WriterHold.hold(op -> nodeB.write("hold", op));
    List<Future<EnqueueResult>> all = List.of(
        a.enqueueJob(new NewJob("a1", "report", Map.of(), "", 1_000), 10),
        a.enqueueJob(new NewJob("a2", "deploy", Map.of(), "", 1_000), 10),
        b.enqueueJob(new NewJob("b1", "deploy", Map.of(), "", 1_000), 10),
        b.enqueueJob(new NewJob("b2", "report", Map.of(), "", 1_000), 10));
    heldA.countDown();
    heldB.countDown();
    for (Future<EnqueueResult> f : all) {
      assertTrue(await(f) instanceof EnqueueResult.Accepted);
    }
    assertEquals(before + 4, nodeA.stats().transactions() + nodeB.stats().transactions(),
        "each node committed its hold and one batch, none was re-run");
    // and the counts hold: two of each command waited, all four claimed
    assertEquals(4, await(a.claimJobs(Map.of("report", 10, "deploy", 10), "node-a", 2_000, 60_000)).size());
    assertEquals(Map.of("deploy", 0L, "report", 0L), await(nodeB.write("read", tx -> {
      Map<String, Long> out = new java.util.TreeMap<>();
      try (java.sql.ResultSet rs = tx.connection().createStatement().executeQuery("SELECT command, queued FROM queue_depth")) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    })));
  }

  /**
   * A node with two writer connections commits on one while the other is held in a transaction:
   * two transactions in flight (with one writer the enqueue would wait for the hold to end).
   */
  @Test
  void a_node_with_two_writers_commits_on_one_while_the_other_is_busy() throws Exception {
    SqlStore node = (SqlStore) node("node-w", 2);
    WriterHold.Held hold = WriterHold.holding(op -> node.write("hold", op));
    try {
      assertEquals(true, await(node.enqueueDeliveries(List.of(dest("ops")), null, null, 0)));
      assertTrue(!hold.done().isComplete(), "the enqueue committed while the other writer still held its transaction");
      assertEquals(1, db.query("SELECT COUNT(*) AS n FROM deliveries").get(0).getLong("n"));
    } finally {
      hold.release().countDown();
      await(hold.done());
      await(node.close());
    }
  }

  /**
   * A node hears only the other nodes' NOTIFYs: its own commits woke it locally already. Node c (a
   * Vert.x of its own, so that only its listener publishes there) queues deliveries and a job; then
   * b queues deliveries: NOTIFYs reach a listener in commit order, so the first wake-up c hears
   * after its own commits being b's first id shows that c's own were dropped.
   */
  @Test
  void a_node_is_woken_by_the_other_nodes_notify_never_by_its_own() throws Exception {
    Vertx alone = Vertx.vertx();
    try {
      LinkedBlockingQueue<Object> woken = new LinkedBlockingQueue<>();
      alone.eventBus().consumer(Addresses.DELIVERIES_READY, m -> woken.add(m.body() == null ? "null" : m.body()));
      alone.eventBus().consumer(Addresses.JOBS_READY, m -> woken.add("job"));
      Store c = SqlStore.postgres(alone, db.uri(), "node-c", Clock.systemUTC(), Duration.ofSeconds(30));
      await(c.open());
      Object opened;
      do { // the listener wakes its node for a full look once it LISTENs
        opened = woken.poll(10, TimeUnit.SECONDS);
      } while (opened != null && !Long.valueOf(0).equals(opened));
      assertEquals(0L, opened, "the LISTEN connection's first wake-up");
      woken.clear();
      LinkedBlockingQueue<Object> heardByAB = new LinkedBlockingQueue<>();
      vertx.eventBus().consumer(Addresses.DELIVERIES_READY, m -> heardByAB.add(m.body() == null ? "null" : m.body()));
      vertx.eventBus().consumer(Addresses.JOBS_READY, m -> heardByAB.add("job"));
      await(c.enqueueDeliveries(List.of(dest("ops"), dest("dev")), null, null, 0));
      await(c.enqueueJob(new NewJob("c1", "deploy", Map.of("text", "x"), "", 1_000), 10));
      // c's NOTIFYs are sent after its commits: once a and b heard both, c's listener had them too
      long cId = db.query("SELECT MIN(id) AS m FROM deliveries").get(0).getLong("m");
      java.util.Set<Object> fromC = new java.util.HashSet<>();
      while (!fromC.containsAll(List.of(cId, "job"))) {
        Object heard = heardByAB.poll(10, TimeUnit.SECONDS);
        assertTrue(heard != null, "a and b heard c's wake-ups: " + fromC);
        fromC.add(heard);
      }
      // c woke itself once per commit, from its writer (with the first new id): never through its own NOTIFY
      assertEquals(cId, woken.poll(10, TimeUnit.SECONDS), "c's own deliveries, from its writer");
      assertEquals("job", woken.poll(10, TimeUnit.SECONDS), "c's own job, from its writer");
      await(b.enqueueDeliveries(List.of(dest("ops")), null, null, 0));
      long bId = db.query("SELECT MAX(id) AS m FROM deliveries").get(0).getLong("m");
      assertEquals(bId, woken.poll(10, TimeUnit.SECONDS), "the next wake-up c heard is b's: its own NOTIFYs are not echoed");
      await(c.close());
    } finally {
      await(alone.close());
    }
  }

  /**
   * PostgreSQL caches a generic plan for a server-prepared statement after five runs when it looks
   * no dearer, made without the values and often while a table is nearly empty; one such plan
   * leased each delivery by walking the whole partial index of pending rows. The statements that
   * claim and lease (by a lease's expiry, with SKIP LOCKED) are planned at each run for their values:
   * after the write path ran ten times none of them is server-prepared (so none has a cached plan),
   * while the inserts and updates by key are, and run on their cached generic plan.
   */
  @Test
  void claims_and_leases_are_planned_for_their_values_and_updates_by_key_on_a_cached_plan() throws Exception {
    SqlStore node = (SqlStore) a;
    for (int i = 0; i < 10; i++) {
      long now = 1_000 + i;
      await(a.enqueueDeliveries(List.of(dest("ops"), reply("j" + i)), null, null, 0));
      List<Delivery> claimed = await(a.claimDeliveries(List.of(), 10, 100, "node-a", now, now + 30_000, -1));
      List<Long> ids = claimed.stream().map(Delivery::id).toList();
      await(a.renewDeliveryLeases("node-a", ids, now + 60_000));
      await(a.markDelivered(ids, now));
      await(a.enqueueJob(new NewJob("job-" + i, "deploy", Map.of("text", "x"), "https://chat/hooks/commands/y", now), 100));
      List<JobRecord> jobs = await(a.claimJobs(Map.of("deploy", 1), "node-a", now, now + 30_000));
      await(a.tryUseResponseUrl(jobs.get(0).id(), now, 60_000, 5));
      await(a.finishJob(jobs.get(0).id(), JobState.SUCCEEDED, "ok", now, List.of()));
    }
    Map<String, Long> serverPrepared = await(node.write("read", tx -> {
      Map<String, Long> out = new java.util.TreeMap<>();
      try (java.sql.ResultSet rs = tx.connection().createStatement().executeQuery(
          "SELECT statement, generic_plans FROM pg_prepared_statements")) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    }));
    List<String> eachRun = node.writerStatements().stream().filter(PostgresDialect::plannedEachRun).sorted().toList();
    assertTrue(eachRun.stream().anyMatch(sql -> sql.startsWith("UPDATE deliveries SET lease_owner")), "ran: " + eachRun);
    assertTrue(eachRun.stream().anyMatch(sql -> sql.startsWith("SELECT * FROM jobs WHERE state = 'queued'")), "ran: " + eachRun);
    for (String sql : eachRun) {
      assertTrue(!serverPrepared.containsKey(numbered(sql)), "server-prepared: " + sql);
    }
    String markDelivered = serverPrepared.keySet().stream()
        .filter(sql -> sql.startsWith("UPDATE deliveries SET state = 'delivered'")).findFirst().orElseThrow();
    assertTrue(serverPrepared.get(markDelivered) > 0, "markDelivered ran on its cached generic plan: " + serverPrepared);
  }

  /** The SQL as the server sees it: pgjdbc numbers the {@code ?} placeholders $1, $2, ... */
  private static String numbered(String sql) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char ch : sql.toCharArray()) {
      out.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
    }
    return out.toString();
  }

  private static NewDelivery dest(String destination) {
    return new NewDelivery(destination, null, null, null, "alerts",
        StoreContractTest.HELLO, 1_000, 1_000);
  }

  private static NewDelivery reply(String job) {
    return new NewDelivery(null, "https://chat.example.org/hooks/commands/x", "ops", job, null,
        StoreContractTest.HELLO, 1_000, 1_000);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }
}
