package dev.hookgate.http;

import dev.hookgate.Services;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front, wiring only: the server, and a router that takes one config snapshot per request
 * ({@link Exchange}), applies the slow-request guard ({@link SlowRequestGuard}), and routes to one
 * handler per route family. The auth-failure throttle ({@link AuthThrottleGuard}) is consulted by
 * each authenticated family once its credentials are checked. Event loop only.
 */
public final class HttpVerticle extends VerticleBase {
  private static final String SHARED_MAP = "hookgate.http";

  private final Services services;
  private final int port;
  private volatile int actualPort;
  private InFlightRequests inFlight;

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
    AuthFailureThrottle failures = (AuthFailureThrottle) vertx.sharedData().<String, Object>getLocalMap(SHARED_MAP)
        .computeIfAbsent("auth-failure-throttle",
            k -> new AuthFailureThrottle(AuthFailureThrottle.DEFAULT_MAX_ADDRESSES, services.clock()::millis));
    AuthThrottleGuard throttle = new AuthThrottleGuard(failures, services.metrics());
    SlowRequestGuard slow = new SlowRequestGuard(vertx, () -> services.config().http());
    BodyHandler body = BodyHandler.create(false).setBodyLimit(http.maxBodyBytes());
    CommandHandler commands = new CommandHandler(services, throttle);
    HookHandler hooks = new HookHandler(services, throttle);

    Router router = Router.router(vertx);
    inFlight = new InFlightRequests(vertx);
    router.route().handler(inFlight::handle);
    router.route().handler(ctx -> Exchange.begin(ctx, services.config()));
    router.route().handler(RouterFailures::requireDecodableUrl);
    router.route().handler(slow);
    CommandRefusals commandRefusals = (CommandRefusals) vertx.sharedData().<String, Object>getLocalMap(SHARED_MAP)
        .computeIfAbsent("command-refusals", k -> new CommandRefusals(services.clock()::millis));
    router.route("/commands/:name").method(HttpMethod.POST).method(HttpMethod.GET).handler(commandRefusals::watch);
    router.post("/commands/:name").handler(body).handler(commands::handle);
    // no BodyHandler on GET: a GET reads its query only, and BodyHandler throws (500) on a GET whose
    // Content-Type is a form or multipart
    router.get("/commands/:name").handler(commands::handle);
    router.post("/hooks/:key").handler(body).handler(hooks::handle).failureHandler(hooks::failed);
    router.route("/health").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(HealthCheckHandler.createWithHealthChecks(GatewayHealth.checks(vertx, services)));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(services.metrics().registry()));
    new AdminApi(services, throttle).mount(router);
    router.route().last().handler(ctx -> ErrorReplies.send(ctx, 404, "not_found", "no such endpoint"));
    router.route().failureHandler(RouterFailures::handle);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(http.host())
        .setMaxFormAttributeSize(http.maxBodyBytes())
        .setMaxFormFields(http.maxFormFields())
        .setMaxFormBufferedBytes(http.maxBodyBytes())
        .setMaxHeaderSize(http.maxHeaderBytes())
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, http.idleTimeout().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // HTTP/1.x only (what chat servers and producers speak): with h2c, Vert.x sets a connection
        // up only once a request head is complete, so a trickled head would escape the slow-request guard
        .setHttp2ClearTextEnabled(false);
    http.tls().ifPresent(tls -> options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath())));
    return vertx.createHttpServer(options)
        .connectionHandler(conn -> {
          StrictRequestDecoder.install(conn, options);
          slow.connected(conn);
        })
        .invalidRequestHandler(RouterFailures::invalidRequest)
        .requestHandler(req -> {
          slow.headArrived(req);
          router.handle(req);
        })
        // listen(port) alone binds every interface in Vert.x 5, whatever the options' host says
        .listen(port, http.host())
        .onSuccess(server -> actualPort = server.actualPort());
  }

  /**
   * Lets the requests in flight finish (each within http.request-timeout, as the slow-request guard
   * bounds it; new ones get 503) before the server closes: see {@link InFlightRequests}.
   */
  @Override
  public Future<?> stop() {
    return inFlight.drain(services.config().http().requestTimeout().toMillis() + 1000);
  }

  /** The port this verticle's server listens on, once started. */
  public int actualPort() {
    return actualPort;
  }
}
