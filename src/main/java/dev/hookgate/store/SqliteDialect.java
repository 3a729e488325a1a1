package dev.hookgate.store;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: one SQLite file in WAL mode, {@code synchronous=FULL} (or NORMAL), held by
 * one process at a time (an exclusive lock on {@code <file>.lock}: a second gateway on the same
 * file refuses to start). The folder and files are created private (0700, 0600): they hold
 * response_urls and messages.
 */
final class SqliteDialect implements Dialect {
  /** SQLite's primary result codes that mean the storage refuses writes or the file is unusable. */
  private static final Set<Integer> STORAGE_FAILURES = Set.of(
      SQLiteErrorCode.SQLITE_FULL.code, SQLiteErrorCode.SQLITE_IOERR.code, SQLiteErrorCode.SQLITE_READONLY.code,
      SQLiteErrorCode.SQLITE_CANTOPEN.code, SQLiteErrorCode.SQLITE_CORRUPT.code, SQLiteErrorCode.SQLITE_NOTADB.code,
      SQLiteErrorCode.SQLITE_PERM.code);

  private final Path path;
  private final String synchronous;
  private FileChannel lockChannel;
  private FileLock lock;
  private Object fileKey;
  /** The file was found deleted or replaced (written by the writer thread, read by any). */
  private volatile boolean gone;

  /** {@code synchronous}: {@code full} or {@code normal} (see StoreConfig). */
  SqliteDialect(Path path, String synchronous) {
    this.path = path;
    this.synchronous = "normal".equals(synchronous) ? "NORMAL" : "FULL";
  }

  @Override
  public String name() {
    return "SQLite";
  }

  @Override
  public Connection connect(boolean reader) throws SQLException {
    if (lock == null) {
      lockAndPrepare();
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=5000");
      if (reader) {
        st.execute("PRAGMA query_only=1");
      } else {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=" + synchronous);
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    // a reader runs each query in its own snapshot: an open read transaction would keep the WAL
    // from being checkpointed
    c.setAutoCommit(reader);
    if (fileKey == null) {
      fileKey = fileKey();
    }
    return c;
  }

  /** Creates the folder and file private, then takes the exclusive lock of this process. */
  private void lockAndPrepare() throws SQLException {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!Files.exists(path)) {
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Path lockFile = Path.of(path + ".lock");
      if (!Files.exists(lockFile)) {
        Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        lockChannel.close();
        lockChannel = null;
        throw new SQLException("another hookgate process holds the store " + path + " (lock " + lockFile
            + "): one gateway per SQLite file; use PostgreSQL for several nodes");
      }
    } catch (IOException e) {
      throw new SQLException("cannot open the store " + path + ": " + e.getMessage(), e);
    }
  }

  private Object fileKey() throws SQLException {
    try {
      return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw new SQLException("the store file " + path + " cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public void checkStorage() throws SQLException {
    if (gone) {
      throw goneException();
    }
    if (fileKey == null) {
      return; // not opened through this dialect: nothing to compare with
    }
    Object now;
    try {
      now = Files.exists(path) ? fileKey() : null;
    } catch (SQLException e) {
      now = null;
    }
    if (now == null || !fileKey.equals(now)) {
      gone = true; // for good: a file put back is not the one the connections hold
      throw goneException();
    }
  }

  private SQLException goneException() {
    return new SQLException("the store file " + path + " was deleted or replaced while the gateway ran: "
        + "nothing more is written (it would be lost); restart the gateway");
  }

  @Override
  public void release() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // the process ends or the store closes: the lock goes with the channel
    }
    lock = null;
    lockChannel = null;
  }

  @Override
  public int migrate(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      int current = 0;
      try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) {
          current = rs.getInt(1);
        }
      }
      int applied = 0;
      for (int v = current + 1; v <= SqliteSchema.MIGRATIONS.size(); v++) {
        for (String sql : SqliteSchema.MIGRATIONS.get(v - 1).split(";")) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
        st.execute("INSERT INTO schema_version(version) VALUES (" + v + ")");
        applied++;
      }
      c.commit();
      return applied;
    }
  }

  @Override
  public List<String> migrations() {
    return SqliteSchema.MIGRATIONS;
  }

  @Override
  public boolean batchReturnsKeys() {
    return false;
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public String greatest(String a, String b) {
    return "MAX(" + a + ", " + b + ")";
  }

  @Override
  public String skipLocked() {
    return "";
  }

  @Override
  public void lockQueueDepths(Tx tx, java.util.SortedSet<String> commands) {
    // one writer: nobody else takes locks
  }

  @Override
  public void notifyQueued(Connection c, boolean jobs, long firstDeliveryId) {
    // one process holds the file: the event bus already woke whoever waits
  }

  @Override
  public AutoCloseable listen(Vertx vertx) {
    return null;
  }

  @Override
  public boolean isStorageFailure(SQLException e) {
    if (e instanceof SQLiteException s) {
      return STORAGE_FAILURES.contains(s.getResultCode().code & 0xff);
    }
    return false;
  }
}
