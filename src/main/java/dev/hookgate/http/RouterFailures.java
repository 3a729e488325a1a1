package dev.hookgate.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client errors Vert.x would raise as a 500 or a stack trace, answered as the precise 4xx they are;
 * real failures answered 500 with no detail and logged.
 */
final class RouterFailures {
  private static final Logger LOG = LoggerFactory.getLogger(RouterFailures.class);

  private RouterFailures() {}

  /** Before any route: Vert.x would throw while matching routes or normalizing the path (a 500 for a typo). */
  static void requireDecodableUrl(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ErrorReplies.send(ctx, 400, "bad_request", "malformed percent-escape in the URL");
      return;
    }
    ctx.next();
  }

  /**
   * The server's handler of requests the decoder refused (head too large, bad framing...): Vert.x's
   * statuses (414, 431, else 400) with a body in the route family's shape, then the connection closed,
   * since what follows on it cannot be trusted.
   */
  static void invalidRequest(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String code = status == 400 ? "bad_request" : status == 414 ? "uri_too_long" : "request_header_fields_too_large";
    String message = status == 400 ? "malformed request (framing or head)"
        : status == 414 ? "request line too long" : "request head is larger than http.max-header-bytes";
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("connection", "close")
        .end(ErrorReplies.body(req.path(), status, code, message))
        .onComplete(ar -> req.connection().close());
  }

  /** The router's failure handler: body too large, a closed connection, or a bug; never a stack trace. */
  static void handle(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return; // the client went away, or the answer is already on its way (e.g. after a 408)
    }
    int status = ctx.statusCode();
    if (status < 0 || status >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), LogText.path(ctx), ctx.failure());
      ErrorReplies.send(ctx, 500, "internal_error", "internal error; see the gateway's log");
      return;
    }
    if (ctx.failure() instanceof HttpPostRequestDecoder.ErrorDataDecoderException) {
      // Vert.x's own decoding of a form body (BodyHandler) refused it: name the problem as FormData does
      ErrorReplies.send(ctx, 400, "bad_request", "invalid percent-escape in form body");
      return;
    }
    ErrorReplies.fromFailure(ctx, status);
  }
}
