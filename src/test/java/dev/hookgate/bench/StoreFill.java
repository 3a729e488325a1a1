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
 * {@code deliveries} table with JDBC, in big transactions (one {@code INSERT ... SELECT} over a
 * counter each, so the rows are made inside SQLite), so the bench can measure the ack rate
 * with a long history. The columns are read from the schema ({@code PRAGMA table_info}); each row
 * copies the newest delivered row the gateway wrote itself (lane, destination, payload...), with
 * state {@code delivered} and its {@code *_at} times spread over the last {@code count} ms (well
 * inside any retention). Without such a row, NOT NULL columns get plain values.
 *
 * <p>{@code java -cp ... dev.hookgate.bench.StoreFill SQLITE_FILE [count=1000000]}
 */
public final class StoreFill {
  private static final int TRANSACTION = 100_000;

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
      // one INSERT ... SELECT over a counter per transaction: the rows are made inside SQLite
      List<String> exprs = new ArrayList<>();
      for (Column col : insert) {
        Object v = value(col, template);
        exprs.add(v == PerRow.TIME ? "? + i" : v == PerRow.KEY ? "'fill-' || (? + i)" : "?");
      }
      String sql = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)"
          + " INSERT INTO deliveries (" + String.join(", ", insert.stream().map(Column::name).toList())
          + ") SELECT " + String.join(", ", exprs) + " FROM n";
      c.setAutoCommit(false);
      long first = System.currentTimeMillis() - count;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int done = 0; done < count; done += TRANSACTION) {
          int rows = Math.min(TRANSACTION, count - done);
          ps.setInt(1, rows);
          for (int k = 0; k < insert.size(); k++) {
            Object v = value(insert.get(k), template);
            ps.setObject(k + 2, v == PerRow.TIME ? (Object) (first + done)
                : v == PerRow.KEY ? (Object) (long) done : v);
          }
          ps.executeUpdate();
          c.commit();
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

  /** A column whose value grows with the row: a time in ms, or a text primary key. */
  private enum PerRow { TIME, KEY }

  /** What a column gets: a constant, or a marker for a value made per row. */
  private static Object value(Column col, Map<String, Object> template) {
    String name = col.name().toLowerCase(Locale.ROOT);
    boolean integer = col.type().toUpperCase(Locale.ROOT).contains("INT");
    if (name.equals("state")) {
      return "delivered";
    }
    if (col.pk()) {
      return PerRow.KEY; // a text key (an INTEGER one is left to SQLite)
    }
    Object copied = template.get(col.name());
    if (name.endsWith("_at") && (copied != null || (col.notNull() && !col.hasDefault()))) {
      return PerRow.TIME;
    }
    if (name.equals("lease_owner") || name.equals("lease_until")) {
      return null;
    }
    if (copied != null || !template.isEmpty()) {
      return copied;
    }
    if (!col.notNull() || col.hasDefault()) {
      return integer && col.hasDefault() ? 0 : null;
    }
    return integer ? PerRow.TIME : switch (name) {
      case "lane" -> "dest:fill";
      case "payload" -> "{\"text\":\"fill\"}";
      default -> "fill";
    };
  }
}
