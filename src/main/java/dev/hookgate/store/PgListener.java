package dev.hookgate.store;

import dev.hookgate.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups across nodes: one dedicated connection LISTENs on the job and delivery channels and
 * republishes what it hears on the local event bus, where the dispatcher and the delivery verticle
 * already listen: another node's work wakes them at its commit. A lost connection is reopened with
 * backoff; on every (re)connect both are woken for a full look (what was notified meanwhile was
 * lost). The sweeps every second stay as the safety net.
 *
 * <p>It stops once its store is closed ({@code closed}); {@link #close} closes the connection.
 */
final class PgListener {
  /** The store's logger: these lines keep the name they have always been logged under. */
  private static final Logger LOG = LoggerFactory.getLogger(PgStore.class);
  private static final long LISTEN_BACKOFF_MIN_MS = 250;
  private static final long LISTEN_BACKOFF_MAX_MS = 10_000;

  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private final BooleanSupplier closed;
  /** The connection that LISTENs for other nodes' work (null while reconnecting). */
  private volatile PgConnection listener;
  private long listenBackoffMs = LISTEN_BACKOFF_MIN_MS;

  PgListener(Vertx vertx, PgConnectOptions connectOptions, BooleanSupplier closed) {
    this.vertx = vertx;
    this.connectOptions = connectOptions;
    this.closed = closed;
  }

  /** Opens the connection; a failure is logged and retried with backoff (the future fails too). */
  Future<Void> listen() {
    if (closed.getAsBoolean()) {
      return Future.succeededFuture();
    }
    return PgConnection.connect(vertx, connectOptions).compose(conn -> {
      conn.notificationHandler(n -> wake(n.getChannel(), n.getPayload()));
      return conn.query("LISTEN " + PgStore.JOBS_CHANNEL + "; LISTEN " + PgStore.DELIVERIES_CHANNEL).execute()
          .onFailure(e -> conn.close())
          .map(rs -> {
            conn.closeHandler(v -> {
              listener = null;
              if (!closed.getAsBoolean()) {
                LOG.warn("PostgreSQL LISTEN connection lost: reconnecting");
                relisten();
              }
            });
            if (closed.getAsBoolean()) {
              conn.close();
            } else {
              listener = conn;
              listenBackoffMs = LISTEN_BACKOFF_MIN_MS;
              vertx.eventBus().publish(Addresses.JOBS_READY, null);
              vertx.eventBus().publish(Addresses.DELIVERIES_READY, 0L);
            }
            return (Void) null;
          });
    }).onFailure(e -> {
      LOG.warn("PostgreSQL LISTEN failed ({}): retrying in {} ms", e.getMessage(), listenBackoffMs);
      relisten();
    });
  }

  /** Closes the connection if it is open (the store is closed already: it is not reopened). */
  void close() {
    PgConnection l = listener;
    if (l != null) {
      l.close();
    }
  }

  private void relisten() {
    if (closed.getAsBoolean()) {
      return;
    }
    long delay = listenBackoffMs;
    listenBackoffMs = Math.min(LISTEN_BACKOFF_MAX_MS, listenBackoffMs * 2);
    vertx.setTimer(delay, t -> listen());
  }

  private void wake(String channel, String payload) {
    if (closed.getAsBoolean()) {
      return;
    }
    if (PgStore.JOBS_CHANNEL.equals(channel)) {
      vertx.eventBus().publish(Addresses.JOBS_READY, null);
    } else if (PgStore.DELIVERIES_CHANNEL.equals(channel)) {
      Long minId = null;
      try {
        minId = Long.parseLong(payload);
      } catch (NumberFormatException e) {
        // a wake-up without an id: a plain claim
      }
      vertx.eventBus().publish(Addresses.DELIVERIES_READY, minId);
    }
  }
}
