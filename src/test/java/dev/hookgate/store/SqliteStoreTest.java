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
      CountDownLatch release = WriterHold.hold(op -> writer.submit("hold", op));
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
    Connection c = connectionWithTable("writer.db");
    SqlWriter writer = new SqlWriter(vertx, new SqliteDialect(dir.resolve("unused.db"), "full"), new Tx(c), new StoreStats(), "test-writer");
    try {
      AtomicInteger runsOfFirst = new AtomicInteger();
      List<Future<Integer>> ops = inOneTransaction(writer, List.of(
          conn -> {
            runsOfFirst.incrementAndGet();
            return insert(conn.connection(), 1);
          },
          conn -> insert(conn.connection(), 2),
          conn -> insert(conn.connection(), 1),
          conn -> insert(conn.connection(), 3)));
      assertInstanceOf(SQLException.class, failureOf(ops.get(2)), "the duplicate failed");
      for (int i : new int[] {0, 1, 3}) {
        assertEquals(1, await(ops.get(i)));
      }
      assertEquals(2, runsOfFirst.get(), "the batch ran together, was rolled back and re-run one by one");
      assertEquals(List.of(1, 2, 3), ids(writer));
    } finally {
      writer.close();
    }
    assertTrue(c.isClosed());
  }

  /** As above, with rows that the operations add to the transaction's shared JDBC batch. */
  @Test
  void rows_of_a_shared_batch_run_once_for_the_whole_transaction_and_a_bad_row_fails_only_its_operation()
      throws Exception {
    Connection c = connectionWithTable("shared.db");
    SqlWriter writer = new SqlWriter(vertx, new SqliteDialect(dir.resolve("unused.db"), "full"), new Tx(c), new StoreStats(), "test-writer");
    try {
      AtomicInteger batchesRun = new AtomicInteger();
      List<Integer> seenBeforeTheBatchRan = new ArrayList<>();
      // three operations, one transaction: their rows run as one batch, after the last of them
      List<Future<Integer>> first = inOneTransaction(writer, List.of(
          tx -> addRow(tx, 1, batchesRun),
          tx -> addRow(tx, 2, batchesRun),
          tx -> {
            try (Statement st = tx.connection().createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
              rs.next();
              seenBeforeTheBatchRan.add(rs.getInt(1));
            }
            return addRow(tx, 3, batchesRun);
          }));
      for (Future<Integer> f : first) {
        assertEquals(1, await(f));
      }
      assertEquals(1, batchesRun.get(), "one JDBC batch for the three operations");
      assertEquals(List.of(0), seenBeforeTheBatchRan);

      // a duplicate row fails the shared batch: rolled back, each operation re-run alone, it fails alone
      List<Future<Integer>> second = inOneTransaction(writer, List.of(
          tx -> addRow(tx, 4, batchesRun),
          tx -> addRow(tx, 1, batchesRun),
          tx -> addRow(tx, 5, batchesRun)));
      assertEquals(1, await(second.get(0)));
      assertInstanceOf(SQLException.class, failureOf(second.get(1)));
      assertEquals(1, await(second.get(2)));
      assertEquals(1 + 2, batchesRun.get(), "the two good operations ran alone");
assertEquals(List.of(1, 2, 3, 4, 5), ids(writer));
    } finally {
      writer.close();
    }
  }

  /** A connection to a new database with a table {@code t(id)}, outside autocommit as the writer's. */
  private Connection connectionWithTable(String file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(file));
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    }
    c.commit();
    return c;
  }

  private static List<Integer> ids(SqlWriter writer) throws Exception {
    return await(writer.submit("test", tx -> {
      List<Integer> out = new ArrayList<>();
      try (Statement st = tx.connection().createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM t ORDER BY id")) {
        while (rs.next()) {
          out.add(rs.getInt(1));
        }
      }
      return out;
    }));
  }

  /** Submits the operations while the writer is held, so that they are drained into one transaction. */
  private static <T> List<Future<T>> inOneTransaction(SqlWriter writer, List<SqlWriter.SqlOp<T>> ops) throws Exception {
    CountDownLatch release = WriterHold.hold(op -> writer.submit("hold", op));
    List<Future<T>> futures = new ArrayList<>();
    ops.forEach(op -> futures.add(writer.submit("test", op)));
    release.countDown();
    return futures;
  }



  private static int addRow(Tx tx, int id, AtomicInteger batchesRun) throws SQLException {
    PreparedStatement ps = tx.batched("INSERT INTO t(id) VALUES (?)", false, ran -> batchesRun.incrementAndGet());
    ps.setInt(1, id);
    ps.addBatch();
    return 1;
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
