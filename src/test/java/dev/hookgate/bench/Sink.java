package dev.hookgate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the chat server for the load benchmark: answers {@code 200 ok} to any POST and counts
 * them: {@code /hooks/commands/...} are response_url replies, any other path is an incoming hook.
 * The gateway coalesces a hook backlog into few posts (texts newline-joined), so the messages
 * are counted as the occurrences, in each post's {@code text}, of the {@code text} of the JSON
 * file given as third argument (the hook fixture), plus the latency probes (below).
 * {@code GET /count} answers {@code {"replies":r,"posts":p,"messages":m}} (every hook path).
 *
 * <p>Replies per load run: the bench gives every command its own response_url id, whose first 4
 * characters name the wrk run ({@code post.lua}); {@code GET /replies?run=R} answers
 * {@code {"replies":distinct ids,"duplicates":d,"first_ms":t,"last_ms":t}} for run R.
 *
 * <p>{@code GET /slow?ms=N} answers {@code 200 done} after N ms (at most 60 s): the job of a slow
 * command.
 *
 * <p>Per hook path, {@code GET /stats} answers {@code {"<path>":{"posts":p,"messages":m,
 * "first_ms":t,"last_ms":t}}}: the wall-clock time (ms) of the first and last arrival on that
 * path, so the bench can compute a delivery rate.
 *
 * <p>Latency probes ({@link RelayLatency}): each line of a post's text that reads
 * {@code hookgate-latency <tag> <seq> <sent_ms>} is recorded with the post's arrival time
 * ({@code System.currentTimeMillis()}, comparable across JVMs of one machine); every line of a
 * coalesced post gets that post's arrival time. {@code GET /latency?tag=T} answers the
 * {@code <seq> <arrival_ms>} lines of tag T, one a line, in arrival order.
 *
 * <p>{@code java -cp ... dev.hookgate.bench.Sink [port|0] [port-file] [hook-fixture.json]},
 * listens on 127.0.0.1.
 */
public final class Sink {
  static final String PROBE = "hookgate-latency ";

  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong posts = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final String marker;
  /** Per hook path: posts, messages, first arrival ms, last arrival ms. Event-loop only. */
  private final Map<String, long[]> byPath = new TreeMap<>();
  /** Per run id (4 characters): the reply ids seen and {duplicates, first ms, last ms}. Event-loop only. */
  private final Map<String, Set<String>> replyIds = new HashMap<>();
  private final Map<String, long[]> replyStats = new HashMap<>();
  /** Per probe tag: {seq, arrival ms}. Event-loop only. */
  private final Map<String, List<long[]>> probes = new TreeMap<>();

  private final Vertx vertx;

  private Sink(Vertx vertx, String marker) {
    this.vertx = vertx;
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

  /** Records the probe lines of a text; returns how many there were. */
  private long probes(String text, long now) {
    if (text == null || !text.contains(PROBE)) {
      return 0;
    }
    long n = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(PROBE)) {
        continue;
      }
      String[] f = line.substring(PROBE.length()).trim().split(" ");
      if (f.length < 3) {
        continue;
      }
      try {
        long seq = Long.parseLong(f[1]);
        probes.computeIfAbsent(f[0], t -> new ArrayList<>()).add(new long[] {seq, now});
        n++;
      } catch (NumberFormatException e) {
        // not a probe
      }
    }
    return n;
  }

  private void handle(HttpServerRequest req) {
    if (req.method().name().equals("GET")) {
      get(req);
      return;
    }
    boolean reply = req.path().startsWith("/hooks/commands/");
    String path = req.path();
    req.body().onComplete(ar -> {
      if (ar.succeeded()) {
        long now = System.currentTimeMillis();
        if (reply) {
          replies.incrementAndGet();
          countReply(path.substring("/hooks/commands/".length()), now);
        } else {
          String text = null;
          try {
            text = new JsonObject(ar.result()).getString("text");
          } catch (RuntimeException e) {
            // not JSON: counted as one message
          }
          long probed = probes(text, now);
          long n = probed > 0 && marker == null ? probed : occurrences(text, marker) + probed;
          posts.incrementAndGet();
          messages.addAndGet(n);
          long[] s = byPath.computeIfAbsent(path, p -> new long[] {0, 0, now, now});
          s[0]++;
          s[1] += n;
          s[3] = now;
        }
        req.response().putHeader("content-type", "text/plain").end("ok");
      } else {
        req.response().setStatusCode(400).end();
      }
    });
  }

  private void countReply(String id, long now) {
    String run = id.length() >= 4 ? id.substring(0, 4) : id;
    long[] s = replyStats.computeIfAbsent(run, r -> new long[] {0, now, now});
    if (!replyIds.computeIfAbsent(run, r -> new HashSet<>()).add(id)) {
      s[0]++;
    }
    s[2] = now;
  }

  private void get(HttpServerRequest req) {
    switch (req.path()) {
      case "/count" -> req.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("replies", replies.get()).put("posts", posts.get())
              .put("messages", messages.get()).encode());
      case "/stats" -> {
        JsonObject all = new JsonObject();
        byPath.forEach((p, s) -> all.put(p, new JsonObject().put("posts", s[0]).put("messages", s[1])
            .put("first_ms", s[2]).put("last_ms", s[3])));
        req.response().putHeader("content-type", "application/json").end(all.encode());
      }
      case "/replies" -> {
        String run = req.getParam("run", "");
        long[] s = replyStats.getOrDefault(run, new long[] {0, 0, 0});
        req.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("replies", replyIds.getOrDefault(run, Set.of()).size())
                .put("duplicates", s[0]).put("first_ms", s[1]).put("last_ms", s[2]).encode());
      }
      case "/slow" -> {
        long ms = Math.max(1, Math.min(60_000, Long.parseLong(req.getParam("ms", "100"))));
        vertx.setTimer(ms, t -> req.response().putHeader("content-type", "text/plain").end("done"));
      }
      case "/latency" -> {
        String tag = req.getParam("tag", "");
        StringBuilder out = new StringBuilder();
        for (long[] p : probes.getOrDefault(tag, List.of())) {
          out.append(p[0]).append(' ').append(p[1]).append('\n');
        }
        req.response().putHeader("content-type", "text/plain").end(out.toString());
      }
      default -> req.response().setStatusCode(404).end();
    }
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path portFile = args.length > 1 ? Path.of(args[1]) : null;
    String marker = args.length > 2 ? new JsonObject(Files.readString(Path.of(args[2]))).getString("text") : null;
    Vertx vertx = Vertx.vertx();
    Sink sink = new Sink(vertx, marker);
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
