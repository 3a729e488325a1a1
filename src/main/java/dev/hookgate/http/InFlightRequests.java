package dev.hookgate.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The requests of one HTTP verticle between their head and the end of their answer, so that a stop
 * lets them finish: a producer whose message was stored gets its 200, not a closed connection that
 * makes it send the message again. Once the stop has begun, a new request gets 503 and its connection
 * closed, and answers in flight say {@code connection: close}. Confined to the verticle's event loop.
 */
final class InFlightRequests {
  private final Vertx vertx;
  private int count;
  private boolean stopping;

  InFlightRequests(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The router's first handler. */
  void handle(RoutingContext ctx) {
    if (stopping) {
      ctx.response().putHeader("connection", "close");
      ErrorReplies.send(ctx, 503, "stopping", "the gateway is stopping; try again");
      return;
    }
    count++;
    ctx.addHeadersEndHandler(v -> {
      if (stopping) {
        ctx.response().putHeader("connection", "close");
      }
    });
    ctx.addEndHandler(ar -> count--);
    ctx.next();
  }

  /** Refuses new requests; completes once none is in flight, or after {@code maxMs}. */
  Future<Void> drain(long maxMs) {
    stopping = true;
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + maxMs * 1_000_000;
    vertx.setPeriodic(20, id -> {
      if (count <= 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    });
    return drained.future();
  }
}
