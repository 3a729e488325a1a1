package dev.hookgate.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Accept-to-delivery latency of the relay at a fixed rate: posts exactly {@code rate} messages a
 * second for {@code seconds} to the gateway's {@code /hooks/<key>} (paced by a 1 ms Vert.x timer
 * that sends whatever is due since the start, over a pool of keep-alive connections, several in
 * flight), each text a single line {@code hookgate-latency <tag> <seq> <sent_ms>}, and records
 * when each {@code 200} came back (accepted_at, {@code System.currentTimeMillis()}). The
 * {@link Sink} records when each line arrived (delivered_at, same wall clock: same machine);
 * lines merged into one post all count at that post's arrival. Per message: delivered_at −
 * accepted_at (it can be negative: the delivery may reach the sink before the 200 reaches us).
 *
 * <p>A warm-up phase (own tag, not counted) runs first and is waited for. Prints a summary and
 * one machine-readable line {@code LATENCY key=value ...}.
 *
 * <p>{@code java -cp ... dev.hookgate.bench.RelayLatency HOOK_URL SINK_BASE_URL SINK_PATH
 * [rate=1000] [seconds=10] [warmup-seconds=2] [connections=16] [drain-max-seconds=30]}
 */
public final class RelayLatency {
  private final Vertx vertx;
  private final HttpClient client;
  private final String hookUrl;
  private final String sinkUrl;
  private final String sinkPath;
  private final java.net.http.HttpClient sinkClient = java.net.http.HttpClient.newBuilder()
      .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private RelayLatency(Vertx vertx, int connections, String hookUrl, String sinkUrl, String sinkPath) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    this.hookUrl = hookUrl;
    this.sinkUrl = sinkUrl;
    this.sinkPath = sinkPath;
  }

  /** One paced phase: what was sent, when, and when it was accepted. */
  private static final class Phase {
    final String tag;
    final int total;
    final AtomicLongArray sent;
    final AtomicLongArray accepted; // 0: not (yet) accepted
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    volatile String firstError;
    long firstSendMs;
    long lastSendMs;

    Phase(String tag, int total) {
      this.tag = tag;
      this.total = total;
      this.sent = new AtomicLongArray(total);
      this.accepted = new AtomicLongArray(total);
    }
  }

  private Future<Phase> run(String tag, int rate, int seconds) {
    Phase phase = new Phase(tag, rate * seconds);
    Promise<Phase> done = Promise.promise();
    long t0 = System.nanoTime();
    int[] next = {0};
    vertx.setPeriodic(1, 1, id -> {
      long due = Math.min(phase.total, (System.nanoTime() - t0) * rate / 1_000_000_000L);
      while (next[0] < due) {
        send(phase, next[0]++, done);
      }
      if (next[0] >= phase.total) {
        vertx.cancelTimer(id);
      }
    });
    return done.future();
  }

  private void send(Phase phase, int seq, Promise<Phase> done) {
    long now = System.currentTimeMillis();
    phase.sent.set(seq, now);
    if (seq == 0) {
      phase.firstSendMs = now;
    }
    phase.lastSendMs = now;
    String body = new JsonObject().put("text", Sink.PROBE + phase.tag + " " + seq + " " + now).encode();
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(hookUrl).setTimeout(10_000))
        .compose(req -> req.putHeader("content-type", "application/json").send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          long at = System.currentTimeMillis();
          if (ar.succeeded() && ar.result() == 200) {
            phase.accepted.set(seq, at);
          } else {
            phase.failed.incrementAndGet();
            if (phase.firstError == null) {
              phase.firstError = ar.succeeded() ? "status " + ar.result() : String.valueOf(ar.cause());
            }
          }
          if (phase.answered.incrementAndGet() == phase.total) {
            done.tryComplete(phase);
          }
        });
  }

  /** GET on the sink (JDK client, a fresh exchange each time, 3 tries of 5 s at most). */
  private String get(String pathAndQuery) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        HttpResponse<String> resp = sinkClient.send(HttpRequest.newBuilder(URI.create(sinkUrl + pathAndQuery))
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() == 200) {
          return resp.body();
        }
        last = new IllegalStateException("GET " + pathAndQuery + ": status " + resp.statusCode());
      } catch (java.io.IOException e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw last;
  }

  /** The sink's arrival time per seq of a tag (0: not arrived); counts duplicates in dup[0]. */
  private long[] arrivals(Phase phase, int[] dup) throws Exception {
    String text = get("/latency?tag=" + phase.tag);
    long[] at = new long[phase.total];
    dup[0] = 0;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(" ");
      int seq = Integer.parseInt(f[0]);
      if (seq < 0 || seq >= at.length) {
        continue;
      }
      if (at[seq] != 0) {
        dup[0]++;
      } else {
        at[seq] = Long.parseLong(f[1]);
      }
    }
    return at;
  }

  private long sinkPosts() throws Exception {
    JsonObject stats = new JsonObject(get("/stats"));
    JsonObject s = stats.getJsonObject(sinkPath);
    return s == null ? 0 : s.getLong("posts");
  }

  /** Waits (at most drainMaxMs) until every accepted message of the phase reached the sink. */
  private long[] drain(Phase phase, int[] dup, long drainMaxMs) throws Exception {
    int wanted = 0;
    for (int i = 0; i < phase.total; i++) {
      if (phase.accepted.get(i) != 0) {
        wanted++;
      }
    }
    long until = System.currentTimeMillis() + drainMaxMs;
    while (true) {
      long[] at = arrivals(phase, dup);
      int got = 0;
      for (int i = 0; i < at.length; i++) {
        if (at[i] != 0 && phase.accepted.get(i) != 0) {
          got++;
        }
      }
      if (got >= wanted || System.currentTimeMillis() > until) {
        return at;
      }
      Thread.sleep(200);
    }
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length); // nearest rank
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: RelayLatency HOOK_URL SINK_BASE_URL SINK_PATH [rate] [seconds] [warmup-seconds]"
          + " [connections] [drain-max-seconds]");
      System.exit(2);
    }
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    int connections = args.length > 6 ? Integer.parseInt(args[6]) : 16;
    long drainMaxMs = (args.length > 7 ? Integer.parseInt(args[7]) : 30) * 1000L;
    Vertx vertx = Vertx.vertx();
    int code = 0;
    try {
      RelayLatency bench = new RelayLatency(vertx, connections, args[0], args[1], args[2]);
      String id = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
      int[] dup = new int[1];
      if (warmup > 0) {
        Phase w = bench.run("warmup-" + id, rate, warmup).await(warmup + 60L, TimeUnit.SECONDS);
        bench.drain(w, dup, drainMaxMs);
        System.out.printf("warm-up: %d sent, %d failed%n", w.total, w.failed.get());
        Thread.sleep(500);
      }
      long postsBefore = bench.sinkPosts();
      Phase p = bench.run("run-" + id, rate, seconds).await(seconds + 60L, TimeUnit.SECONDS);
      long[] at = bench.drain(p, dup, drainMaxMs);
      long posts = bench.sinkPosts() - postsBefore;

      int accepted = 0;
      int delivered = 0;
      int early = 0;
      long lastArrival = 0;
      long[] lat = new long[p.total];
      long[] ack = new long[p.total];
      int n = 0;
      int na = 0;
      for (int i = 0; i < p.total; i++) {
        long acc = p.accepted.get(i);
        if (acc == 0) {
          continue;
        }
        accepted++;
        ack[na++] = acc - p.sent.get(i);
        if (at[i] != 0) {
          delivered++;
          lat[n++] = at[i] - acc;
          if (at[i] < acc) {
            early++;
          }
          lastArrival = Math.max(lastArrival, at[i]);
        }
      }
      int deliveredAny = 0;
      for (long a : at) {
        if (a != 0) {
          deliveredAny++;
        }
      }
      lat = Arrays.copyOf(lat, n);
      ack = Arrays.copyOf(ack, na);
      Arrays.sort(lat);
      Arrays.sort(ack);
      double sendSeconds = Math.max(1, p.lastSendMs - p.firstSendMs) / 1000.0;
      double sendRate = p.total > 1 ? (p.total - 1) / sendSeconds : p.total;
      System.out.printf(Locale.ROOT, "sent %d in %.3f s (%.1f/s), accepted %d, failed %d%s%n", p.total, sendSeconds,
          sendRate, accepted, p.failed.get(), p.firstError == null ? "" : " (first: " + p.firstError + ")");
      System.out.printf(Locale.ROOT, "delivered %d of the accepted (%d of all sent), %d duplicates, in %d posts;"
          + " last arrival %d ms after the last send%n", delivered, deliveredAny, dup[0], posts,
          lastArrival == 0 ? -1 : lastArrival - p.lastSendMs);
      System.out.printf(Locale.ROOT, "accept -> delivery: min %d, p50 %d, p90 %d, p99 %d, max %d ms"
          + " (%d delivered before their 200 came back)%n", pct(lat, 0), pct(lat, 50), pct(lat, 90), pct(lat, 99),
          n == 0 ? -1 : lat[n - 1], early);
      System.out.printf(Locale.ROOT, "send -> 200: p50 %d, p99 %d, max %d ms%n", pct(ack, 50), pct(ack, 99),
          na == 0 ? -1 : ack[na - 1]);
      System.out.printf(Locale.ROOT, "LATENCY rate=%d seconds=%d sent=%d send_rate=%.1f accepted=%d failed=%d"
              + " delivered=%d duplicates=%d posts=%d early=%d p50_ms=%d p90_ms=%d p99_ms=%d max_ms=%d"
              + " ack_p50_ms=%d ack_p99_ms=%d%n", rate, seconds, p.total, sendRate, accepted, p.failed.get(),
          delivered, dup[0], posts, early, pct(lat, 50), pct(lat, 90), pct(lat, 99), n == 0 ? -1 : lat[n - 1],
          pct(ack, 50), pct(ack, 99));
    } catch (Exception e) {
      System.err.println("RelayLatency failed: " + e);
      e.printStackTrace();
      code = 1;
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    System.exit(code);
  }
}
