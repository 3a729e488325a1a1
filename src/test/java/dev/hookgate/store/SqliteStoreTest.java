package dev.hookgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;

class SqliteStoreTest extends StoreContractTest {
  /**
   * The store commits with {@code synchronous=FULL}: every commit is an fsync. On tmpfs (where
   * there is one) the class runs in a few seconds instead of a dozen; the SQLite file, its WAL and
   * the close/reopen cycle behave the same.
   */
  static final class FastTempDir implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
      Path shm = Path.of("/dev/shm");
      return Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "hookgate-store-test")
          : Files.createTempDirectory("hookgate-store-test");
    }
  }

  @TempDir(factory = FastTempDir.class)
  Path dir;

  private Path file() {
    return dir.resolve("hookgate.db");
  }

  @Override
  protected Store newStore(Vertx vertx) {
    return SqlStore.sqlite(vertx, file(), "full", "node-test");
  }

  @Test
  void the_database_file_is_in_wal_mode() throws Exception {
    await(store.enqueueJob(newJob("j1", "deploy", 100), 10));
    await(store.close());
    store = null;

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      assertTrue(rs.next());
      assertEquals("wal", rs.getString(1).toLowerCase());
    }
  }

  @Test
  void reopening_applies_each_migration_once() throws Exception {
    reopen();
    reopen();
    await(store.close());
    store = null;

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
      assertTrue(rs.next());
      assertEquals(SqliteSchema.MIGRATIONS.size(), rs.getInt(1));
      assertEquals(SqliteSchema.MIGRATIONS.size(), rs.getInt(2));
    }
  }

  @Test
  void the_store_creates_missing_parent_directories() throws Exception {
    Path nested = dir.resolve("a/b/hookgate.db");
    Store other = SqlStore.sqlite(vertx, nested, "full", "node-other");
    await(other.open());
    try {
      assertInstanceOf(EnqueueResult.Accepted.class, await(other.enqueueJob(newJob("j1", "deploy", 1), 1)));
    } finally {
      await(other.close());
    }
    assertTrue(Files.exists(nested));
  }

  @Test
  void when_the_writer_falls_behind_new_work_is_refused_at_once_not_piled_up() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("overload.db"));
    c.setAutoCommit(false);
    SqlWriter writer = new SqlWriter(vertx, new SqliteDialect(dir.resolve("unused.db"), "full"), new Tx(c), new StoreStats(), "test-writer");
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      writer.submit("block", conn -> {
        started.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      });
      assertTrue(started.await(10, TimeUnit.SECONDS));
      List<Future<Object>> queued = new ArrayList<>();
      for (int i = 0; i < SqlWriter.MAX_QUEUED; i++) {
        queued.add(writer.submit("fill", conn -> null));
      }
      Future<Object> refused = writer.submit("one too many", conn -> null);
      assertTrue(refused.failed());
      assertTrue(refused.cause().getMessage().startsWith("store overloaded"));
      release.countDown();
      Future.all(queued).await(20, TimeUnit.SECONDS);
      assertTrue(queued.stream().allMatch(Future::succeeded));
    } finally {
      writer.close();
    }
  }

  /**
   * Drives {@link SqlWriter} directly so that the batch is certain: the first operation holds the
   * writer while the others queue up, and they are then drained into one transaction together.
   */
  @Test
  void a_failing_operation_in_a_group_commit_fails_alone_and_the_rest_of_its_batch_commits() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("writer.db"));
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    }
    c.commit();
    SqlWriter writer = new SqlWriter(vertx, new SqliteDialect(dir.resolve("unused.db"), "full"), new Tx(c), new StoreStats(), "test-writer");
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<Void> blocker = writer.submit("test", conn -> {
        started.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      });
      assertTrue(started.await(10, TimeUnit.SECONDS));

      AtomicInteger runsOfFirst = new AtomicInteger();
      List<Future<Integer>> ok = new ArrayList<>();
      ok.add(writer.submit("test", conn -> {
        runsOfFirst.incrementAndGet();
        return insert(conn.connection(), 1);
      }));
      ok.add(writer.submit("test", conn -> insert(conn.connection(), 2)));
      Future<Integer> duplicate = writer.submit("test", conn -> insert(conn.connection(), 1));
      ok.add(writer.submit("test", conn -> insert(conn.connection(), 3)));
      release.countDown();

      await(blocker);
      Throwable failure = failureOf(duplicate);
      assertInstanceOf(SQLException.class, failure);
      for (Future<Integer> f : ok) {
        assertEquals(1, await(f));
      }
      assertEquals(2, runsOfFirst.get(), "the batch ran together, was rolled back and re-run one by one");
      List<Integer> rows = await(writer.submit("test", conn -> {
        List<Integer> out = new ArrayList<>();
        try (Statement st = conn.connection().createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM t ORDER BY id")) {
          while (rs.next()) {
            out.add(rs.getInt(1));
          }
        }
        return out;
      }));
      assertEquals(List.of(1, 2, 3), rows);
    } finally {
      writer.close();
    }
    assertTrue(c.isClosed());
  }

  @Test
  void a_claim_is_visible_to_a_separate_connection_once_its_future_completes() throws Exception {
    await(store.enqueueJob(newJob("j1", "deploy", 100), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT state, lease_owner, lease_until FROM jobs WHERE id = 'j1'")) {
      assertTrue(rs.next());
      assertEquals("running", rs.getString(1));
      assertEquals("node-1", rs.getString(2));
      assertEquals(31_000, rs.getLong(3));
    }
  }

  private static int insert(Connection c, int id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(id) VALUES (?)")) {
      ps.setInt(1, id);
      return ps.executeUpdate();
    }
  }
}
