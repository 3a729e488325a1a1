package dev.hookgate.http;

import dev.hookgate.config.GatewayConfig;
import io.vertx.ext.web.RoutingContext;

/**
 * What one request carries from handler to handler: the config as it was when the request arrived
 * (a reload meanwhile never mixes two configs within a request), the client's throttle key, the
 * time of its arrival and, once answered with an error, why it was refused. The
 * only entry a request puts on its routing context, under one typed accessor.
 */
final class Exchange {
  private static final String KEY = Exchange.class.getName();

  private final GatewayConfig config;
  private final String client;
  private final long arrivedNanos = System.nanoTime();
  private String refusal;

  private Exchange(GatewayConfig config, String client) {
    this.config = config;
    this.client = client;
  }

  /** The first handler of every request: takes the config snapshot. */
  static void begin(RoutingContext ctx, GatewayConfig config) {
    ctx.put(KEY, new Exchange(config, AuthFailureThrottle.key(ctx.request().remoteAddress())));
    ctx.next();
  }

  static Exchange of(RoutingContext ctx) {
    Exchange ex = ctx.get(KEY);
    if (ex == null) {
      throw new IllegalStateException("Exchange.begin must be the router's first handler");
    }
    return ex;
  }

  GatewayConfig config() {
    return config;
  }

  /** Notes why the request was refused (the message of its error answer), when it has an exchange. */
  static void refused(RoutingContext ctx, String message) {
    Exchange ex = ctx.get(KEY);
    if (ex != null) {
      ex.refusal = message;
    }
  }

  /** Why the request was refused, if it was answered with an error. */
  java.util.Optional<String> refusal() {
    return java.util.Optional.ofNullable(refusal);
  }

  /** How long ago the request arrived (its first handler ran). */
  java.time.Duration sinceArrival() {
    return java.time.Duration.ofNanos(System.nanoTime() - arrivedNanos);
  }

  /** The address the auth-failure throttle counts this client under. */
  String client() {
    return client;
  }
}
