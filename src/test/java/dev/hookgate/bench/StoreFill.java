package dev.hookgate.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fills a stopped gateway's SQLite store with delivered messages, fast: rows straight into the
 * {@code deliveries} table with JDBC, in big transactions, so the bench can measure the ack rate
 * with a long history. The columns are read from the schema ({@code PRAGMA table_info}); each row
 * copies the newest delivered row the gateway wrote itself (lane, destination, payload...), with
 * state {@code delivered} and its {@code *_at} times spread over the last {@code count} ms (well
 * inside any retention). Without such a row, NOT NULL columns get plain values.
 *
 * <p>{@code java -cp ... dev.hookgate.bench.StoreFill SQLITE_FILE [count=1000000]}
 */
public final class StoreFill {
  private static final int TRANSACTION = 100_000;
  private static final int BATCH = 5_000;

  private record Column(String name, String type, boolean notNull, boolean hasDefault, boolean pk) {}

  private StoreFill() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: StoreFill SQLITE_FILE [count]");
      System.exit(2);
    }
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    long started = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0])) {
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA synchronous=OFF"); // set-up only: the gateway is stopped, a checkpoint ends it
      }
      List<Column> columns = columns(c);
      Map<String, Object> template = template(c, columns);
      List<Column> insert = columns.stream()
          .filter(col -> !(col.pk() && col.type().toUpperCase(Locale.ROOT).contains("INT"))).toList();
      String sql = "INSERT INTO deliveries (" + String.join(", ", insert.stream().map(Column::name).toList())
          + ") VALUES (" + String.join(", ", insert.stream().map(col -> "?").toList()) + ")";
      c.setAutoCommit(false);
      long now = System.currentTimeMillis();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < count; i++) {
          long at = now - count + i;
          for (int k = 0; k < insert.size(); k++) {
            ps.setObject(k + 1, value(insert.get(k), template, at, i));
          }
          ps.addBatch();
          if ((i + 1) % BATCH == 0 || i == count - 1) {
            ps.executeBatch();
          }
          if ((i + 1) % TRANSACTION == 0 || i == count - 1) {
            c.commit();
          }
        }
      }
      c.setAutoCommit(true);
      long rows;
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM deliveries")) {
          rs.next();
          rows = rs.getLong(1);
        }
      }
      System.out.printf(Locale.ROOT, "FILL inserted=%d rows=%d seconds=%.1f template=%s%n", count, rows,
          (System.nanoTime() - started) / 1e9, template.isEmpty() ? "none" : "newest-delivered-row");
    }
  }

  private static List<Column> columns(Connection c) throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(deliveries)")) {
      while (rs.next()) {
        columns.add(new Column(rs.getString("name"), rs.getString("type"), rs.getInt("notnull") == 1,
            rs.getString("dflt_value") != null, rs.getInt("pk") > 0));
      }
    }
    if (columns.isEmpty()) {
      throw new IllegalStateException("no deliveries table in the store");
    }
    return columns;
  }

  /** The newest delivered row, column by column; empty when there is none. */
  private static Map<String, Object> template(Connection c, List<Column> columns) throws SQLException {
    Map<String, Object> row = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT * FROM deliveries WHERE state = 'delivered' ORDER BY rowid DESC LIMIT 1")) {
      if (rs.next()) {
        for (Column col : columns) {
          row.put(col.name(), rs.getObject(col.name()));
        }
      }
    }
    return row;
  }

  private static Object value(Column col, Map<String, Object> template, long at, int i) {
    String name = col.name().toLowerCase(Locale.ROOT);
    boolean integer = col.type().toUpperCase(Locale.ROOT).contains("INT");
    if (name.equals("state")) {
      return "delivered";
    }
    if (col.pk()) {
      return "fill-" + i; // a text key (an INTEGER one is left to SQLite)
    }
    Object copied = template.get(col.name());
    if (name.endsWith("_at") && (copied != null || (col.notNull() && !col.hasDefault()))) {
      return at;
    }
    if (name.equals("lease_owner") || name.equals("lease_until")) {
      return null;
    }
    if (copied != null || !template.isEmpty()) {
      return copied;
    }
    if (!col.notNull() || col.hasDefault()) {
      return integer ? (col.hasDefault() ? 0 : null) : null;
    }
    return integer ? at : switch (name) {
      case "lane" -> "dest:fill";
      case "payload" -> "{\"text\":\"fill\"}";
      default -> "fill";
    };
  }
}
