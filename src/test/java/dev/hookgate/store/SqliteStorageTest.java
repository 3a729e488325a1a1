package dev.hookgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.protocol.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite file as ops meet it: a full disk, a second gateway, a file deleted under the gateway. */
class SqliteStorageTest {
  @TempDir
  Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static NewDelivery message(int n) {
    // ~2 KB each: a 1 MiB disk fills within a few hundred
    return NewDelivery.toDestination("ops", "alerts", ChatMessage.text(null, "m" + n + " " + "x".repeat(2000)), n, n);
  }

  /**
   * A 1 MiB tmpfs fills up under the store: writes fail (nothing of a failed write is stored), the
   * store does not wedge, and once the disk has room again it accepts writes by itself. Every write
   * whose future succeeded is in the file exactly once; none whose future failed is.
   */
  @Test
  void a_full_disk_refuses_writes_without_storing_them_and_the_store_recovers_when_it_has_room() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
    Path mount = Files.createDirectory(dir.resolve("small"));
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
    try {
      Path file = mount.resolve("hookgate.db");
      Store store = SqlStore.sqlite(vertx, file, "full", "node-test");
      await(store.open());
      Set<Integer> accepted = new HashSet<>();
      Set<Integer> refused = new HashSet<>();
      int n = 0;
      // bounded: 3,000 writes of 2 KB on a 1 MiB disk
      while (n < 3_000 && refused.size() < 200) {
        List<Future<Boolean>> batch = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++, n++) {
          ids.add(n);
          batch.add(store.enqueueDeliveries(List.of(message(n)), null, null, 0));
        }
        Future.join(batch).otherwiseEmpty().await(30, TimeUnit.SECONDS);
        for (int i = 0; i < batch.size(); i++) {
          (batch.get(i).succeeded() ? accepted : refused).add(ids.get(i));
        }
      }
      assertFalse(refused.isEmpty(), "the disk never filled");
      assertTrue(store.enqueueDeliveries(List.of(message(-1)), null, null, 0).otherwiseEmpty()
          .await(30, TimeUnit.SECONDS) == null, "still full: refused");

      run("mount", "-o", "remount,size=16m", "tmpfs", mount.toString());
      long deadline = System.currentTimeMillis() + 10_000;
      Boolean again = null;
      int m = 100_000;
      while (again == null && System.currentTimeMillis() < deadline) {
        Future<Boolean> f = store.enqueueDeliveries(List.of(message(m)), null, null, 0);
        again = f.otherwiseEmpty().await(30, TimeUnit.SECONDS);
        if (again != null) {
          accepted.add(m);
        } else {
          refused.add(m);
          m++;
          Thread.sleep(100); // polling for recovery, bounded by the deadline
        }
      }
      assertEquals(Boolean.TRUE, again, "the store accepts writes again within 10 s of the disk having room");
      await(store.close());

      List<Integer> stored = storedMessages(file);
      assertEquals(stored.size(), new HashSet<>(stored).size(), "a message stored twice");
      assertEquals(accepted, new HashSet<>(stored), "stored = exactly what was accepted");
    } finally {
      run("umount", "-l", mount.toString());
    }
  }

  private static List<Integer> storedMessages(Path file) throws Exception {
    List<Integer> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT payload FROM deliveries")) {
      while (rs.next()) {
        String text = ChatMessage.fromJson(rs.getString(1)).text();
        out.add(Integer.parseInt(text.substring(1, text.indexOf(' '))));
      }
    }
    return out;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + " failed");
  }

  @Test
  void a_second_store_on_the_same_file_refuses_to_open_with_one_clear_line() throws Exception {
    Path file = dir.resolve("hookgate.db");
    Store first = SqlStore.sqlite(vertx, file, "full", "node-1");
    await(first.open());
    try {
      Future<Void> opened = SqlStore.sqlite(vertx, file, "full", "node-2").open();
      opened.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      Throwable cause = opened.cause();
      assertTrue(cause != null && cause.getMessage().contains("another hookgate process holds the store"),
          "refused: " + cause);
    } finally {
      await(first.close());
    }
    // once the first is closed, the file can be opened again
    Store again = SqlStore.sqlite(vertx, file, "full", "node-4");
    await(again.open());
    await(again.close());
  }

  @Test
  void a_store_file_deleted_while_running_fails_the_health_ping() throws Exception {
    Path file = dir.resolve("hookgate.db");
    Store store = SqlStore.sqlite(vertx, file, "full", "node-1");
    await(store.open());
    try {
      await(store.ping("node-1", 1_000));
      Files.delete(file);
      Future<Void> ping = store.ping("node-1", 2_000);
      ping.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      assertTrue(ping.failed());
      assertTrue(ping.cause().getMessage().contains("deleted or replaced"), ping.cause().getMessage());
    } finally {
      await(store.close());
    }
  }

  @Test
  void the_store_folder_and_file_are_private() throws Exception {
    Path file = dir.resolve("state/hookgate.db");
    Store store = SqlStore.sqlite(vertx, file, "full", "node-1");
    await(store.open());
    try {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      Path wal = Path.of(file + "-wal");
      assertTrue(Files.exists(wal));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)));
    } finally {
      await(store.close());
    }
  }

  @Test
  void the_counts_of_queued_jobs_are_rebuilt_from_the_rows_at_start() throws Exception {
    Path file = dir.resolve("count.db");
    Store store = SqlStore.sqlite(vertx, file, "full", "node-1");
    await(store.open());
    for (int i = 0; i < 5; i++) {
      await(store.enqueueJob(new NewJob("j" + i, "deploy", java.util.Map.of(), "", i), 5));
    }
    await(store.close());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE queue_depth SET queued = 99"); // a count that drifted from the rows
    }
    store = SqlStore.sqlite(vertx, file, "full", "node-2");
    await(store.open());
    try {
      await(store.recover(1_000, c -> true, j -> List.of()));
      assertInstanceOf(EnqueueResult.QueueFull.class,
          await(store.enqueueJob(new NewJob("k0", "deploy", java.util.Map.of(), "", 10), 5)));
      assertInstanceOf(EnqueueResult.Accepted.class,
          await(store.enqueueJob(new NewJob("k1", "deploy", java.util.Map.of(), "", 10), 6)));
    } finally {
      await(store.close());
    }
  }

  @Test
  void max_queued_holds_under_concurrent_enqueues() throws Exception {
    Store store = SqlStore.sqlite(vertx, dir.resolve("q.db"), "full", "node-1");
    await(store.open());
    try {
      List<Future<EnqueueResult>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(store.enqueueJob(new NewJob("j" + i, "deploy", java.util.Map.of("text", "x"), "", i), 25));
      }
      Future.all(results).await(30, TimeUnit.SECONDS);
      assertEquals(25, results.stream().filter(f -> f.result() instanceof EnqueueResult.Accepted).count());
      assertInstanceOf(EnqueueResult.QueueFull.class, results.get(199).result());
      assertEquals(25, ((EnqueueResult.QueueFull) results.get(199).result()).queued());
      // claiming frees places: as many new jobs are accepted as were claimed
      List<JobRecord> claimed = await(store.claimJobs(java.util.Map.of("deploy", 10), "w", 1_000, 60_000));
      assertEquals(10, claimed.size());
      long accepted = 0;
      for (int i = 0; i < 20; i++) {
        if (await(store.enqueueJob(new NewJob("k" + i, "deploy", java.util.Map.of(), "", 1_000 + i), 25))
            instanceof EnqueueResult.Accepted) {
          accepted++;
        }
      }
      assertEquals(10, accepted);
    } finally {
      await(store.close());
    }
  }
}
