package dev.hookgate.http;

import dev.hookgate.Services;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP front: routes to one handler per route family. Event loop only; the store does the blocking. */
public final class HttpVerticle extends VerticleBase {
  static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final Services services;
  private final int port;
  private volatile int actualPort;

  /** {@code port} overrides the config's; 0 picks a free port (see {@link #actualPort}). */
  public HttpVerticle(Services services, int port) {
    this.services = services;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    var http = services.config().http();
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(http.maxBodyBytes());
    CommandHandler commands = new CommandHandler(services);
    HookHandler hooks = new HookHandler(services);

    router.route("/commands/:name").method(HttpMethod.POST).method(HttpMethod.GET).handler(body)
        .handler(commands::handle);
    router.post("/hooks/:key").handler(body).handler(hooks::handle);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(healthChecks()));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(services.metrics().registry()));
    new AdminApi(services).mount(router);
    router.route().last().handler(ctx -> ErrorReplies.send(ctx, 404, "not_found", "no such endpoint"));
    router.route().failureHandler(ErrorReplies::fromFailure);

    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(http.host())
            .setMaxFormAttributeSize(http.maxBodyBytes())
            .setIdleTimeout(60))
        .requestHandler(router)
        .listen(port)
        .onSuccess(server -> actualPort = server.actualPort());
  }

  /** The store takes a write; every verticle is deployed and the gateway is not stopping. */
  private HealthChecks healthChecks() {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("store", 2000, promise -> services.store().ping(services.nodeId(), services.now())
        .onSuccess(v -> promise.complete(Status.OK()))
        .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("error", e.getMessage())))));
    checks.register("verticles", promise -> promise.complete(services.ready().get() ? Status.OK()
        : Status.KO(new JsonObject().put("reason", "starting or stopping"))));
    return checks;
  }

  /** The port this verticle's server listens on, once started. */
  public int actualPort() {
    return actualPort;
  }
}
