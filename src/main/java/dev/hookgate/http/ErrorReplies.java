package dev.hookgate.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Every error the gateway answers: {@code {"error": code, "message": text}} with a precise status. */
final class ErrorReplies {
  private ErrorReplies() {}

  static void send(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }

  /** 4xx failures raised by Vert.x itself (body too large...); 5xx are answered by HttpVerticle. */
  static void fromFailure(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    String code = switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      default -> status >= 500 ? "internal_error" : "error";
    };
    String message = switch (status) {
      case 413 -> "request body is larger than http.max-body-bytes";
      case 404 -> "no such endpoint";
      case 405 -> "method not allowed on this endpoint";
      default -> status >= 500 ? "internal error; see the gateway's log" : "request refused";
    };
    send(ctx, status, code, message);
  }
}
