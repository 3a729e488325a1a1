package dev.hookgate.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for a test against the fat jar, on the server of
 * {@code HOOKGATE_TEST_PG_URI} (default {@code postgresql://postgres@127.0.0.1:5432/postgres}),
 * dropped at close. Without a reachable server the test is skipped with one line saying so, except
 * under {@code CI=true}, where it fails.
 */
public final class PgTestDatabase implements AutoCloseable {
  private final Vertx vertx;
  private final Pool admin;
  private final PgConnectOptions server;
  private final String name;

  private PgTestDatabase(Vertx vertx, Pool admin, PgConnectOptions server, String name) {
    this.vertx = vertx;
    this.admin = admin;
    this.server = server;
    this.name = name;
  }

  public static PgTestDatabase create(String testName) throws Exception {
    String uri = System.getenv().getOrDefault("HOOKGATE_TEST_PG_URI", "postgresql://postgres@127.0.0.1:5432/postgres");
    PgConnectOptions server = PgConnectOptions.fromUri(uri);
    Vertx vertx = Vertx.vertx();
    Pool admin = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .with(new NetClientOptions().setConnectTimeout(3_000)).connectingTo(server).using(vertx).build();
    try {
      admin.query("SELECT 1").execute().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      admin.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("PostgreSQL at " + server.getHost() + ":" + server.getPort()
            + " is not reachable and CI=true: " + e, e);
      }
      String why = testName + " skipped: PostgreSQL not reachable at " + server.getHost() + ":" + server.getPort()
          + " (" + e.getMessage() + "); set HOOKGATE_TEST_PG_URI or run PostgreSQL (under CI=true this fails)";
      System.out.println(why);
      Assumptions.abort(why);
    }
    String name = "hookgate_it_" + UUID.randomUUID().toString().replace("-", "");
    admin.query("CREATE DATABASE " + name).execute().await(10, TimeUnit.SECONDS);
    return new PgTestDatabase(vertx, admin, server, name);
  }

  /** The URI for {@code store.postgres.uri}. */
  public String uri() {
    StringBuilder sb = new StringBuilder("postgresql://").append(server.getUser());
    if (server.getPassword() != null && !server.getPassword().isEmpty()) {
      sb.append(':').append(server.getPassword());
    }
    return sb.append('@').append(server.getHost()).append(':').append(server.getPort()).append('/').append(name)
        .toString();
  }

  /** Runs a query in the test database; its rows. */
  public List<Row> query(String sql) throws Exception {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(new PgConnectOptions(server).setDatabase(name)).using(vertx).build();
    try {
      List<Row> rows = new ArrayList<>();
      pool.query(sql).execute().await(30, TimeUnit.SECONDS).forEach(rows::add);
      return rows;
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      admin.query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").execute().await(10, TimeUnit.SECONDS);
    } finally {
      admin.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
