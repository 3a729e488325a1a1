package dev.hookgate.http;

import dev.hookgate.ops.GatewayMetrics;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth-failure throttle at the door of the authenticated routes: it sees a request once its
 * credentials are checked, and slows only failing credentials. A request with valid credentials is
 * always let through, whatever its address did before (the chat server shares its address with
 * whoever else runs there); failing credentials are counted, and once an address has
 * {@code security.auth-failures-per-minute} of them within a minute, its failing requests get 429
 * with {@code Retry-After} instead of their 401 until the minute is over.
 */
final class AuthThrottleGuard {
  private static final Logger LOG = LoggerFactory.getLogger(AuthThrottleGuard.class);

  private final AuthFailureThrottle throttle;
  private final GatewayMetrics metrics;

  AuthThrottleGuard(AuthFailureThrottle throttle, GatewayMetrics metrics) {
    this.throttle = throttle;
    this.metrics = metrics;
  }

  /**
   * True when the request may go on: its credentials are valid, or they failed and the caller is to
   * answer its own refusal (the failure is counted). False when this guard has answered 429.
   */
  boolean admit(RoutingContext ctx, boolean authentic) {
    if (authentic) {
      return true;
    }
    Exchange ex = Exchange.of(ctx);
    int limit = ex.config().http().authFailuresPerMinute();
    long wait = throttle.blockedForMs(ex.client(), limit);
    if (wait > 0) {
      metrics.throttled();
      ctx.response().putHeader("Retry-After", String.valueOf((wait + 999) / 1000));
      ErrorReplies.send(ctx, 429, "too_many_requests",
          "too many authentication failures from this address; retry later");
      return false;
    }
    throttle.failure(ex.client(), limit);
    if (throttle.blockedForMs(ex.client(), limit) > 0) {
      LOG.warn("{} reached {} authentication failures within a minute: its failing requests get 429 until "
          + "the minute passes", ex.client(), limit);
    }
    return true;
  }
}
