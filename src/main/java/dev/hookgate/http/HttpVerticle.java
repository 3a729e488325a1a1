package dev.hookgate.http;

import dev.hookgate.Services;
import dev.hookgate.config.HttpConfig;
import dev.hookgate.config.HookConfig;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front: routes to one handler per route family. Event loop only; the store does the blocking.
 *
 * <p>Before any route, every request passes {@link #guard}: addresses with too many recent
 * authentication failures get 429 on the authenticated routes, a request whose body has not fully
 * arrived within {@code http.request-timeout} gets 408 and loses its connection, and answers that
 * are authentication failures (any 401, any refusal of an unknown hook key) are counted. Each
 * connection must also complete every request head within a bounded time ({@link HeadGuard}), so
 * a client trickling its headers a byte at a time is cut too.
 */
public final class HttpVerticle extends VerticleBase {
  static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** Set on the routing context by a handler that refused a request as not authentic. */
  static final String AUTH_FAILURE = "hookgate.auth-failure";
  private static final String SHARED_MAP = "hookgate.http";

  private final Services services;
  private final int port;
  private volatile int actualPort;
  private AuthFailureThrottle throttle;
  /** Confined to this verticle's event loop: its server instance's connections. */
  private final Map<HttpConnection, HeadGuard> heads = new HashMap<>();

  /** {@code port} overrides the config's; 0 picks a free port (see {@link #actualPort}). */
  public HttpVerticle(Services services, int port) {
    this.services = services;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    var http = services.config().http();
    // One throttle per Vert.x instance, shared by every HttpVerticle instance (each serves a share
    // of the connections): the local map lives and dies with this Vert.x, unlike a static map.
    throttle = (AuthFailureThrottle) vertx.sharedData().<String, Object>getLocalMap(SHARED_MAP)
        .computeIfAbsent("auth-failure-throttle",
            k -> new AuthFailureThrottle(AuthFailureThrottle.DEFAULT_MAX_ADDRESSES, services.clock()::millis));
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(http.maxBodyBytes());
    CommandHandler commands = new CommandHandler(services);
    HookHandler hooks = new HookHandler(services);

    router.route().handler(this::guard);
    router.post("/commands/:name").handler(body).handler(commands::handle);
    // no BodyHandler on GET: a GET reads its query only, and BodyHandler throws (500) on a GET whose
    // Content-Type is a form or multipart
    router.get("/commands/:name").handler(commands::handle);
    router.post("/hooks/:key").handler(body).handler(this::markUnknownHook).handler(hooks::handle);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(healthChecks()));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(services.metrics().registry()));
    new AdminApi(services).mount(router);
    router.route().last().handler(ctx -> ErrorReplies.send(ctx, 404, "not_found", "no such endpoint"));
    router.route().failureHandler(this::failure);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(http.host())
        .setMaxFormAttributeSize(http.maxBodyBytes())
        .setMaxFormFields(http.maxFormFields())
        .setMaxFormBufferedBytes(http.maxBodyBytes())
        .setMaxHeaderSize(http.maxHeaderBytes())
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, http.idleTimeout().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // HTTP/1.x only (what chat servers and producers speak): with h2c, Vert.x sets a connection
        // up only once a request head is complete, so a trickled head would escape the HeadGuard
        .setHttp2ClearTextEnabled(false);
    http.tls().ifPresent(tls -> options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath())));
    return vertx.createHttpServer(options)
        .connectionHandler(this::connected)
        .requestHandler(req -> {
          HeadGuard head = heads.get(req.connection());
          if (head != null) {
            head.cancel();
          }
          router.handle(req);
        })
        // listen(port) alone binds every interface in Vert.x 5, whatever the options' host says
        .listen(port, http.host())
        .onSuccess(server -> actualPort = server.actualPort());
  }

  // ---------------------------------------------------------------- slow requests

  /** Closes a connection whose next request head does not arrive in time. */
  private final class HeadGuard {
    private final HttpConnection conn;
    private long timer = -1;

    HeadGuard(HttpConnection conn) {
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

  private void connected(HttpConnection conn) {
    HeadGuard head = new HeadGuard(conn);
    heads.put(conn, head);
    head.arm(services.config().http().requestTimeout().toMillis());
    conn.closeHandler(v -> {
      head.cancel();
      heads.remove(conn);
    });
  }

  // ---------------------------------------------------------------- the guard

  private void guard(RoutingContext ctx) {
    HttpConfig http = services.config().http();
    HttpServerRequest req = ctx.request();
    if (!decodable(ctx)) {
      // Vert.x would throw while matching routes or normalizing the path: a 500 for a client's typo
      ErrorReplies.send(ctx, 400, "bad_request", "malformed percent-escape in the URL");
      return;
    }
    String client = AuthFailureThrottle.key(req.remoteAddress());
    int limit = http.authFailuresPerMinute();
    if (authenticated(ctx.normalizedPath())) {
      long wait = throttle.blockedForMs(client, limit);
      if (wait > 0) {
        services.metrics().registry().counter("hookgate_http_throttled_total").increment();
        ctx.response().putHeader("Retry-After", String.valueOf((wait + 999) / 1000));
        ErrorReplies.send(ctx, 429, "too_many_requests",
            "too many authentication failures from this address; retry later");
        return;
      }
    }
    ctx.addHeadersEndHandler(v -> {
      int status = ctx.response().getStatusCode();
      boolean failed = status == 401
          || (Boolean.TRUE.equals(ctx.get(AUTH_FAILURE)) && status >= 400 && status < 500 && status != 429);
      if (failed && limit > 0) {
        throttle.failure(client, limit);
        if (throttle.blockedForMs(client, limit) > 0 && !Boolean.TRUE.equals(ctx.get("hookgate.logged-block"))) {
          ctx.put("hookgate.logged-block", true);
          LOG.warn("{} reached {} authentication failures within a minute: refused (429) until the minute passes",
              client, limit);
        }
      }
    });
    HeadGuard head = heads.get(req.connection());
    if (head != null) {
      // the next request on this kept-alive connection: idle at most idle-timeout, then its head in request-timeout
      long next = http.idleTimeout().toMillis() + http.requestTimeout().toMillis();
      ctx.addEndHandler(ar -> head.arm(next));
    }
    if (!req.isEnded()) {
      long timer = vertx.setTimer(http.requestTimeout().toMillis(), t -> tooSlow(ctx));
      req.end().onComplete(ar -> vertx.cancelTimer(timer));
      ctx.addEndHandler(ar -> vertx.cancelTimer(timer));
    }
    ctx.next();
  }

  /** The body has not arrived within http.request-timeout: 408, and the connection is closed. */
  private void tooSlow(RoutingContext ctx) {
    LOG.info("{} {}: request body not received within http.request-timeout, closing the connection (from {})",
        ctx.request().method(), logPath(ctx), ctx.request().remoteAddress());
    HttpConnection conn = ctx.request().connection();
    if (ctx.response().ended() || ctx.response().closed()) {
      conn.close();
      return;
    }
    ctx.response().setStatusCode(408).putHeader("connection", "close").putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", "request_timeout")
            .put("message", "the request did not arrive within http.request-timeout").encode())
        .onComplete(ar -> conn.close());
  }

  /** The path normalizes and the query decodes (Vert.x and Netty throw on escapes such as {@code %zz}). */
  private static boolean decodable(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
      ctx.request().params();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The path for a log line, masked; the raw path when it does not even normalize. */
  private static String logPath(RoutingContext ctx) {
    String path;
    try {
      path = ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      path = ctx.request().path();
    }
    return maskedPath(path);
  }

  /** The routes that authenticate their callers; the throttle refuses only these. */
  private static boolean authenticated(String path) {
    return path != null && (path.startsWith("/commands/") || path.startsWith("/hooks/") || path.startsWith("/api/")
        || path.equals("/api") || path.startsWith("/admin"));
  }

  /**
   * Looks the hook key up once (constant time against every hook) for the handler; an unknown key
   * is an authentication failure, whatever the handler answers about the body.
   */
  private void markUnknownHook(RoutingContext ctx) {
    String key = ctx.pathParam("key");
    Optional<HookConfig> hook = HookHandler.find(services.config().hooks().values(), key == null ? "" : key);
    ctx.put(HookHandler.MATCHED_HOOK, hook);
    if (hook.isEmpty()) {
      ctx.put(AUTH_FAILURE, true);
    }
    ctx.next();
  }


  /** Failures raised by Vert.x (body too large, a closed connection...) or by a bug: never a stack trace. */
  private void failure(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return; // the client went away, or the answer is already on its way (e.g. after a 408)
    }
    int status = ctx.statusCode();
    if (status < 0 || status >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), logPath(ctx), ctx.failure());
      ErrorReplies.send(ctx, 500, "internal_error", "internal error; see the gateway's log");
      return;
    }
    if (ctx.failure() instanceof HttpPostRequestDecoder.ErrorDataDecoderException) {
      // Vert.x's own decoding of a form body (BodyHandler) refused it: name the problem as FormData does
      ErrorReplies.send(ctx, 400, "bad_request", "invalid percent-escape in form body");
      return;
    }
    ErrorReplies.fromFailure(ctx);
  }

  /** A path fit for a log line: the key in {@code /hooks/<key>} is a secret, only its start is shown. */
  static String maskedPath(String path) {
    if (path == null || !path.startsWith("/hooks/")) {
      return path;
    }
    String key = path.substring("/hooks/".length());
    return "/hooks/" + (key.length() <= 4 ? "…" : key.substring(0, 4) + "…");
  }

  /** The store takes a write; every verticle is deployed and the gateway is not stopping. */
  private HealthChecks healthChecks() {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("store", 2000, promise -> services.store().ping(services.nodeId(), services.now())
        .onSuccess(v -> promise.complete(Status.OK()))
        .onFailure(e -> {
          LOG.error("health: the store refused a write: {}", e.getMessage());
          promise.complete(Status.KO(new JsonObject().put("reason", "the store refused a write (see the log)")));
        }));
    checks.register("verticles", promise -> promise.complete(services.ready().get() ? Status.OK()
        : Status.KO(new JsonObject().put("reason", "starting or stopping"))));
    return checks;
  }

  /** The port this verticle's server listens on, once started. */
  public int actualPort() {
    return actualPort;
  }
}
