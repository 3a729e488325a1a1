package dev.hookgate.http;

import io.vertx.ext.web.RoutingContext;

/** Request details fit for a log line: the key in {@code /hooks/<key>} is a secret, only its start is shown. */
final class LogText {
  private LogText() {}

  /** The request's path, masked; the raw path when it does not even normalize. */
  static String path(RoutingContext ctx) {
    String path;
    try {
      path = ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      path = ctx.request().path();
    }
    return maskedPath(path);
  }

  static String maskedPath(String path) {
    if (path == null || !path.startsWith("/hooks/")) {
      return path;
    }
    return "/hooks/" + maskedKey(path.substring("/hooks/".length()));
  }

  /** The first four characters of a hook key, enough to tell producers apart and too few to use. */
  static String maskedKey(String key) {
    return key == null || key.length() <= 4 ? "…" : key.substring(0, 4) + "…";
  }
}
