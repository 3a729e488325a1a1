package dev.hookgate.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Every error the gateway answers, one shape per route family: the relay ({@code /hooks/*}) answers
 * as Mattermost's own incoming hooks do, {@code {"id","message","detailed_error","request_id",
 * "status_code"}} (plus {@code error}, the same as {@code id}); every other route answers
 * {@code {"error": code, "message": text}}. Guards and the failure handler call {@link #send}
 * whatever the route; the shape follows the path.
 */
final class ErrorReplies {
  private static final String RELAY_PREFIX = "/hooks/";

  private ErrorReplies() {}

  /** An error with a hookgate code; on the relay the code becomes an id in Mattermost's form. */
  static Future<Void> send(RoutingContext ctx, int status, String code, String message) {
    Exchange.refused(ctx, message);
    return answer(ctx, status, body(ctx.request().path(), status, code, message));
  }

  /** A relay error with Mattermost's own error id ({@code web.incoming_webhook.*.app_error}). */
  static Future<Void> mattermost(RoutingContext ctx, int status, String id, String message) {
    return answer(ctx, status, mattermostBody(status, id, message));
  }

  /** The JSON body of an error on {@code path}, in its route family's shape. */
  static String body(String path, int status, String code, String message) {
    if (path != null && path.startsWith(RELAY_PREFIX)) {
      return mattermostBody(status, relayId(code), message);
    }
    return new JsonObject().put("error", code).put("message", message).encode();
  }

  private static String mattermostBody(int status, String id, String message) {
    return new JsonObject().put("error", id).put("id", id).put("message", message)
        .put("detailed_error", "").put("request_id", "").put("status_code", status).encode();
  }

  /** 4xx failures raised by Vert.x itself (body too large...). */
  static Future<Void> fromFailure(RoutingContext ctx, int status) {
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
    return send(ctx, status, code, message);
  }

  /** Mattermost's id where it has one for the situation, else hookgate's code in the same form. */
  private static String relayId(String code) {
    return switch (code) {
      case "bad_request" -> "web.incoming_webhook.parse.app_error";
      case "payload_too_large" -> "api.context.request_body_too_large.app_error";
      default -> "hookgate." + code + ".app_error";
    };
  }

  private static Future<Void> answer(RoutingContext ctx, int status, String body) {
    if (ctx.response().ended()) {
      return Future.succeededFuture();
    }
    return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }
}
