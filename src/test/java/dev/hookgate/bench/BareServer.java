package dev.hookgate.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The load benchmark's baseline: a bare Vert.x 5 server doing only what the gateway cannot avoid
 * (read and parse the body, answer the same bytes), with no token check, store or queue.
 *
 * <ul>
 *   <li>{@code POST /commands/echo}: urlencoded form parsed by Vert.x ({@code getFormAttribute}),
 *       answers {@code {"response_type":"ephemeral","text":"Command received."}}.</li>
 *   <li>{@code POST /hooks/:key}: JSON body parsed, answers {@code text/plain ok}.</li>
 * </ul>
 *
 * <p>{@code java -cp ... dev.hookgate.bench.BareServer [port|0] [port-file]}: listens on 127.0.0.1
 * with as many event-loop instances as the gateway (min(2, cores)); the chosen port is written to
 * {@code port-file} once listening. Test scope only: not part of the fat jar.
 */
public final class BareServer extends VerticleBase {
  static final String ACK = new JsonObject().put("response_type", "ephemeral").put("text", "Command received.").encode();
  private static final int MAX_BODY = 1_048_576;

  private final int port;

  BareServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
    router.post("/commands/echo").handler(body).handler(ctx -> {
      String token = ctx.request().getFormAttribute("token");
      String responseUrl = ctx.request().getFormAttribute("response_url");
      if (token == null || token.isEmpty() || responseUrl == null) {
        ctx.response().setStatusCode(400).end();
        return;
      }
      ctx.response().putHeader("content-type", "application/json").end(ACK);
    });
    router.post("/hooks/:key").handler(body).handler(ctx -> {
      JsonObject json;
      try {
        json = ctx.body().asJsonObject();
      } catch (RuntimeException e) {
        json = null;
      }
      if (json == null || ctx.pathParam("key").isEmpty()) {
        ctx.response().setStatusCode(400).end();
        return;
      }
      ctx.response().putHeader("content-type", "text/plain").end("ok");
    });
    router.get("/health").handler(ctx -> ctx.response().end("UP"));
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost("127.0.0.1")
            .setMaxFormAttributeSize(MAX_BODY)
            .setIdleTimeout(60))
        .requestHandler(router)
        .listen(port);
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path portFile = args.length > 1 ? Path.of(args[1]) : null;
    int instances = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    Vertx vertx = Vertx.vertx();
    if (port == 0) {
      // every instance must share one port: bind a probe on a free port, then reuse it
      HttpServer probe = vertx.createHttpServer().requestHandler(r -> r.response().end())
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      port = probe.actualPort();
      probe.close().await(10, TimeUnit.SECONDS);
    }
    int chosen = port;
    vertx.deployVerticle(() -> new BareServer(chosen), new DeploymentOptions().setInstances(instances))
        .await(30, TimeUnit.SECONDS);
    System.out.println("bare server listening on 127.0.0.1:" + chosen + " (" + instances + " instances)");
    if (portFile != null) {
      Files.writeString(portFile, Integer.toString(chosen));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
  }
}
