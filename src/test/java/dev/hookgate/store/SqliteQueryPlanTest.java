package dev.hookgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.protocol.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flat cost per message: on a store holding 100,000 delivered messages and 100,000 finished jobs,
 * every statement the write path prepared (acks, claims, sends, budget, retention) reads an index:
 * a seek, or a range of the live rows' partial indexes — never a scan of the tables' history.
 */
class SqliteQueryPlanTest {
  private static final int HISTORY = 100_000;

  @TempDir
  Path dir;

  @Test
  void every_write_path_statement_reads_an_index_on_a_store_with_100k_rows_of_history() throws Exception {
    Path file = dir.resolve("hookgate.db");
    Vertx vertx = Vertx.vertx();
    SqlStore store = SqlStore.sqlite(vertx, file, "normal", "node-1");
    try {
      await(store.open());
      fillHistory(file);
      driveEveryWritePath(store);
      List<String> statements = new ArrayList<>(store.writerStatements());
      assertTrue(statements.size() >= 15, "the write paths prepared " + statements.size() + " statements");
      List<String> scans = new ArrayList<>();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
        for (String sql : statements) {
          for (String step : plan(c, sql)) {
            if (scansHistory(step)) {
              scans.add(step + "  <=  " + sql);
            }
          }
        }
      }
      assertEquals(List.of(), scans, "statements that scan a table's history");
    } finally {
      store.close().await(30, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A step that reads a whole table, or a whole index that is not a partial index of live rows. */
  private static boolean scansHistory(String step) {
    if (!step.startsWith("SCAN ")) {
      return false;
    }
    boolean onATable = step.matches("SCAN (jobs|deliveries|idempotency_keys)\\b.*");
    boolean ofLiveRows = step.contains("deliveries_pending") || step.contains("jobs_queued")
        || step.contains("jobs_running");
    return onATable && !ofLiveRows;
  }

  private static List<String> plan(Connection c, String sql) throws Exception {
    List<String> steps = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        steps.add(rs.getString("detail"));
      }
    }
    return steps;
  }

  private static void fillHistory(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      c.setAutoCommit(false);
      try (PreparedStatement d = c.prepareStatement("INSERT INTO deliveries(lane, destination, hook, payload, state, "
              + "created_at, not_before, delivered_at, attempts) VALUES ('dest:ops', 'ops', 'alerts', ?, 'delivered', ?, ?, ?, 1)");
          PreparedStatement j = c.prepareStatement("INSERT INTO jobs(id, command, request, response_url, state, "
              + "created_at, finished_at, attempts) VALUES (?, 'echo', '{}', 'https://chat/hooks/commands/x', 'succeeded', ?, ?, 1)")) {
        String payload = ChatMessage.text(null, "old").encode();
        for (int i = 0; i < HISTORY; i++) {
          d.setString(1, payload);
          d.setLong(2, i);
          d.setLong(3, i);
          d.setLong(4, i + 1);
          d.addBatch();
          j.setString(1, String.format("old-%08d", i));
          j.setLong(2, i);
          j.setLong(3, i + 1);
          j.addBatch();
        }
        d.executeBatch();
        j.executeBatch();
      }
      c.commit();
    }
  }

  private static void driveEveryWritePath(SqlStore store) throws Exception {
    long now = 10_000_000;
    List<NewDelivery> hooks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      hooks.add(NewDelivery.toDestination("ops", "alerts", ChatMessage.text(null, "m" + i), now, now));
    }
    await(store.enqueueDeliveries(hooks, null, null, 0));
    await(store.enqueueDeliveries(hooks.subList(0, 1), "hook:alerts", "key-1", 60_000));
    await(store.enqueueJob(new NewJob("new-1", "echo", Map.of("text", "hi"), "https://chat/hooks/commands/y", now), 10));
    List<JobRecord> jobs = await(store.claimJobs(Map.of("echo", 1), "node-1", now, now + 30_000));
    await(store.renewLeases("node-1", List.of("new-1"), List.of(), now + 60_000));
    await(store.tryUseResponseUrl("new-1", now, 30 * 60_000, 5));
    await(store.returnResponseUrlUse("new-1"));
    await(store.finishJob(jobs.get(0).id(), JobState.SUCCEEDED, "ok", now,
        List.of(NewDelivery.toResponseUrl("https://chat/hooks/commands/y", "ops", "new-1", ChatMessage.text(null, "r"), now))));
    List<Delivery> swept = await(store.claimDeliveries(List.of(), 100, 100, "node-1", now, now + 30_000, -1));
    List<Delivery> fresh = await(store.claimDeliveries(List.of(), 100, 100, "node-1", now, now + 30_000, 0));
    List<Long> ids = swept.stream().map(Delivery::id).toList();
    await(store.renewLeases("node-1", List.of(), ids, now + 60_000));
    await(store.recordAttempt(ids.subList(0, 1), "timeout", true));
    await(store.markDelivered(ids.subList(1, 3), now));
    await(store.markDead(ids.subList(3, 4), "410", now));
    await(store.retarget(ids.subList(4, 5), "ops"));
    await(store.replay(ids.get(3), now));
    await(store.enqueueScheduledJob(new NewJob("sched-1", "echo", Map.of(), "", now), "nightly", now));
    await(store.ping("node-1", now));
    await(store.purgeFinished(5));
    await(store.recover(now, c -> true, j -> List.of()));
    assertTrue(fresh.isEmpty() || !swept.isEmpty());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }
}
