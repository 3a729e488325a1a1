package dev.hookgate.http;

import dev.hookgate.config.HttpConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slow-request (slowloris) guard. Each connection must complete its next request head within
 * {@code http.request-timeout} (after the idle timeout on a kept-alive connection), or it is
 * closed; a request whose body has not fully arrived within {@code http.request-timeout} gets 408
 * and its connection is closed. One instance per server verticle, confined to its event loop.
 */
final class SlowRequestGuard implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(SlowRequestGuard.class);

  private final Vertx vertx;
  private final Supplier<HttpConfig> config;
  private final Map<HttpConnection, HeadTimer> heads = new HashMap<>();

  SlowRequestGuard(Vertx vertx, Supplier<HttpConfig> config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** The server's connection handler: the first request head is due within the request timeout. */
  void connected(HttpConnection conn) {
    HeadTimer head = new HeadTimer(conn);
    heads.put(conn, head);
    head.arm(config.get().requestTimeout().toMillis());
    conn.closeHandler(v -> {
      head.cancel();
      heads.remove(conn);
    });
  }

  /** Called as a request head has arrived, before routing: its connection is no longer waiting for it. */
  void headArrived(HttpServerRequest req) {
    HeadTimer head = heads.get(req.connection());
    if (head != null) {
      head.cancel();
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpConfig http = Exchange.of(ctx).config().http();
    HeadTimer head = heads.get(ctx.request().connection());
    if (head != null) {
      // the next request on this kept-alive connection: idle at most idle-timeout, then its head in request-timeout
      long next = http.idleTimeout().toMillis() + http.requestTimeout().toMillis();
      ctx.addEndHandler(ar -> head.arm(next));
    }
    if (!ctx.request().isEnded()) {
      long timer = vertx.setTimer(http.requestTimeout().toMillis(), t -> tooSlow(ctx));
      ctx.request().end().onComplete(ar -> vertx.cancelTimer(timer));
      ctx.addEndHandler(ar -> vertx.cancelTimer(timer));
    }
    ctx.next();
  }

  /** The body has not arrived within http.request-timeout: 408, and the connection is closed. */
  private void tooSlow(RoutingContext ctx) {
    LOG.info("{} {}: request body not received within http.request-timeout, closing the connection (from {})",
        ctx.request().method(), LogText.path(ctx), ctx.request().remoteAddress());
    HttpConnection conn = ctx.request().connection();
    if (ctx.response().ended() || ctx.response().closed()) {
      conn.close();
      return;
    }
    ctx.response().putHeader("connection", "close");
    ErrorReplies.send(ctx, 408, "request_timeout", "the request did not arrive within http.request-timeout")
        .onComplete(ar -> conn.close());
  }

  /** Closes a connection whose next request head does not arrive in time. */
  private final class HeadTimer {
    private final HttpConnection conn;
    private long timer = -1;

    HeadTimer(HttpConnection conn) {
      this.conn = conn;
    }

    void arm(long ms) {
      cancel();
      timer = vertx.setTimer(ms, t -> {
        timer = -1;
        LOG.info("closing a connection from {}: no complete request within {} ms", conn.remoteAddress(), ms);
        conn.close();
      });
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
