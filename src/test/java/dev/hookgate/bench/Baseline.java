package dev.hookgate.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load benchmark's baselines: bare Vert.x 5 routes doing only what a gateway cannot avoid, in
 * one of four modes, to put hookgate's figures next to what the same I/O costs without it:
 * <ul>
 *   <li>{@code bare}: parse the request, answer: {@code POST /commands/:name} (urlencoded form,
 *       {@code getFormAttribute}) answers the ack JSON; {@code POST /hooks/:key} (JSON) answers
 *       {@code ok};</li>
 *   <li>{@code durable}: the same, plus ONE group-committed INSERT ({@link GroupCommitWriter}:
 *       SQLite WAL, {@code synchronous=FULL}, one writer thread) before the answer;</li>
 *   <li>{@code bare-forward}: {@code bare}, and after the ack the command's reply JSON is POSTed to
 *       its {@code response_url} with the Vert.x WebClient (no store, no retry);</li>
 *   <li>{@code durable-forward}: {@code bare-forward} plus the INSERT before the ack and an UPDATE
 *       (delivered) once the reply got its 2xx, on the same writer.</li>
 * </ul>
 * No token check, queue, job or retry: a ceiling, not a gateway.
 *
 * <p>{@code java -cp ... dev.hookgate.bench.Baseline MODE [port|0] [port-file] [sqlite-file]}:
 * listens on 127.0.0.1 with as many event-loop instances as the gateway (min(2, cores)); the chosen
 * port is written to {@code port-file} once listening. Test scope only: not part of the fat jar.
 */
public final class Baseline extends VerticleBase {
  static final String ACK = new JsonObject().put("response_type", "ephemeral").put("text", "Command received.").encode();
  private static final int MAX_BODY = 1_048_576;
  private static final AtomicLong IDS = new AtomicLong();

  private final int port;
  private final boolean forward;
  private final GroupCommitWriter writer; // null: not durable
  private WebClient client;

  Baseline(int port, boolean forward, GroupCommitWriter writer) {
    this.port = port;
    this.forward = forward;
    this.writer = writer;
  }

  @Override
  public Future<?> start() {
    // the gateway's delivery client options (default pool), so the forwarding I/O is the same
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(true)
        .setIdleTimeout(60).setUserAgent("baseline/1"));
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
    router.post("/commands/:name").handler(body).handler(this::command);
    router.post("/hooks/:key").handler(body).handler(this::hook);
    router.get("/health").handler(ctx -> ctx.response().end("UP"));
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost("127.0.0.1")
            .setMaxFormAttributeSize(MAX_BODY)
            .setIdleTimeout(60))
        .requestHandler(router)
        .listen(port);
  }

  private void command(RoutingContext ctx) {
    String token = ctx.request().getFormAttribute("token");
    String responseUrl = ctx.request().getFormAttribute("response_url");
    String text = ctx.request().getFormAttribute("text");
    if (token == null || token.isEmpty() || responseUrl == null) {
      ctx.response().setStatusCode(400).end();
      return;
    }
    long id = IDS.incrementAndGet();
    stored(id, ctx.body().asString()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.response().setStatusCode(503).end();
        return;
      }
      ctx.response().putHeader("content-type", "application/json").end(ACK);
      if (forward) {
        String reply = new JsonObject().put("response_type", "in_channel")
            .put("text", "## Commande reçue!\nPayload : " + (text == null ? "" : text)).encode();
        client.postAbs(responseUrl).putHeader("content-type", "application/json")
            .sendBuffer(Buffer.buffer(reply))
            .onSuccess(resp -> {
              if (writer != null && resp.statusCode() / 100 == 2) {
                writer.markDelivered(id);
              }
            });
      }
    });
  }

  private void hook(RoutingContext ctx) {
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
    stored(IDS.incrementAndGet(), json.encode()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.response().setStatusCode(503).end();
      } else {
        ctx.response().putHeader("content-type", "text/plain").end("ok");
      }
    });
  }

  /** Durable modes: the INSERT, committed; others: done at once. */
  private Future<Void> stored(long id, String payload) {
    return writer == null ? Future.succeededFuture() : writer.insert(id, payload);
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "bare";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Path portFile = args.length > 2 ? Path.of(args[2]) : null;
    boolean durable = mode.startsWith("durable");
    boolean forward = mode.endsWith("forward");
    if (!(mode.equals("bare") || mode.equals("durable") || mode.equals("bare-forward")
        || mode.equals("durable-forward"))) {
      System.err.println("usage: Baseline bare|durable|bare-forward|durable-forward [port|0] [port-file] [sqlite-file]");
      System.exit(2);
    }
    if (durable && args.length < 4) {
      System.err.println(mode + " needs a sqlite-file (4th argument)");
      System.exit(2);
    }
    int instances = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    Vertx vertx = Vertx.vertx();
    GroupCommitWriter writer = durable ? new GroupCommitWriter(vertx, Path.of(args[3])) : null;
    if (port == 0) {
      // every instance must share one port: bind a probe on a free port, then reuse it
      HttpServer probe = vertx.createHttpServer().requestHandler(r -> r.response().end())
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      port = probe.actualPort();
      probe.close().await(10, TimeUnit.SECONDS);
    }
    int chosen = port;
    vertx.deployVerticle(() -> new Baseline(chosen, forward, writer), new DeploymentOptions().setInstances(instances))
        .await(30, TimeUnit.SECONDS);
    System.out.println("baseline " + mode + " listening on 127.0.0.1:" + chosen + " (" + instances + " instances)");
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
