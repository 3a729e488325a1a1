package dev.hookgate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the chat server for the load benchmark: answers {@code 200 ok} to any POST and counts
 * them: {@code /hooks/commands/...} are response_url replies, any other path is an incoming hook.
 * The gateway coalesces a hook backlog into few posts (texts newline-joined), so the messages
 * are counted as the occurrences, in each post's {@code text}, of the {@code text} of the JSON
 * file given as third argument (the hook fixture). {@code GET /count} answers
 * {@code {"replies":r,"posts":p,"messages":m}}.
 *
 * <p>{@code java -cp ... dev.hookgate.bench.Sink [port|0] [port-file] [hook-fixture.json]},
 * listens on 127.0.0.1.
 */
public final class Sink {
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong posts = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final String marker;

  private Sink(String marker) {
    this.marker = marker;
  }

  private static long occurrences(String text, String marker) {
    if (text == null || marker == null || marker.isEmpty()) {
      return 1;
    }
    long n = 0;
    for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + marker.length())) {
      n++;
    }
    return n;
  }

  private void handle(HttpServerRequest req) {
    if (req.method().name().equals("GET") && req.path().equals("/count")) {
      req.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("replies", replies.get()).put("posts", posts.get())
              .put("messages", messages.get()).encode());
      return;
    }
    boolean reply = req.path().startsWith("/hooks/commands/");
    req.body().onComplete(ar -> {
      if (ar.succeeded()) {
        if (reply) {
          replies.incrementAndGet();
        } else {
          String text = null;
          try {
            text = new JsonObject(ar.result()).getString("text");
          } catch (RuntimeException e) {
            // not JSON: counted as one message
          }
          posts.incrementAndGet();
          messages.addAndGet(occurrences(text, marker));
        }
        req.response().putHeader("content-type", "text/plain").end("ok");
      } else {
        req.response().setStatusCode(400).end();
      }
    });
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path portFile = args.length > 1 ? Path.of(args[1]) : null;
    String marker = args.length > 2 ? new JsonObject(Files.readString(Path.of(args[2]))).getString("text") : null;
    Vertx vertx = Vertx.vertx();
    Sink sink = new Sink(marker);
    HttpServer server = vertx.createHttpServer().requestHandler(sink::handle).listen(port, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    System.out.println("sink listening on 127.0.0.1:" + server.actualPort());
    if (portFile != null) {
      Files.writeString(portFile, Integer.toString(server.actualPort()));
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
