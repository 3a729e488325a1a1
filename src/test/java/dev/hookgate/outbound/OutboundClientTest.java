package dev.hookgate.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hostile server cannot hold the outbound client: a 1 GiB body is cut after the cap (the test's
 * server streams it, never buffers it), a body dripped a byte at a time ends at the deadline.
 */
@ExtendWith(VertxExtension.class)
class OutboundClientTest {
  private static final long GIB = 1L << 30;
  private static final Buffer CHUNK = Buffer.buffer(new byte[64 * 1024]);

  /** Streams {@code total} bytes, one chunk whenever the connection can take it; counts what went out. */
  private static void stream(Vertx vertx, HttpServerResponse resp, long total, AtomicLong written) {
    while (!resp.writeQueueFull() && written.get() < total && !resp.closed()) {
      resp.write(CHUNK);
      written.addAndGet(CHUNK.length());
    }
    if (written.get() >= total) {
      resp.end();
    } else if (!resp.closed()) {
      resp.drainHandler(v -> stream(vertx, resp, total, written));
    }
  }

  @Test
  void aGiantBodyIsCutAtTheCapAndTheConnectionReset(Vertx vertx, VertxTestContext test) {
    AtomicLong written = new AtomicLong();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      HttpServerResponse resp = req.response().setStatusCode(200).putHeader("content-length", String.valueOf(GIB));
      stream(vertx, resp, GIB, written);
    });
    server.listen(0, "127.0.0.1").compose(s -> {
      OutboundClient client = new OutboundClient(vertx, Duration.ofSeconds(5), 4096);
      long used = usedHeap();
      return client.send(HttpMethod.POST, "http://127.0.0.1:" + s.actualPort() + "/hooks/x", Map.of(),
          Buffer.buffer("{}"), Duration.ofSeconds(30)).map(reply -> {
            test.verify(() -> {
              Reply.Answered a = assertInstanceOf(Reply.Answered.class, reply);
              assertEquals(200, a.status());
              assertEquals(4096, a.body().length());
              assertFalse(a.complete());
              assertTrue(written.get() < GIB / 4, "the server wrote " + written.get() + " bytes");
              assertTrue(usedHeap() - used < 256L << 20, "heap grew by " + (usedHeap() - used));
            });
            return reply;
          });
    }).onComplete(test.succeedingThenComplete());
  }

  @Test
  void aDrippingBodyEndsAtTheDeadlineWithTheStatusItHad(Vertx vertx, VertxTestContext test) {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      HttpServerResponse resp = req.response().setStatusCode(503).setChunked(true);
      resp.write("x");
      long timer = vertx.setPeriodic(2000, id -> resp.write("x"));
      resp.closeHandler(v -> vertx.cancelTimer(timer));
    });
    server.listen(0, "127.0.0.1").compose(s -> {
      OutboundClient client = new OutboundClient(vertx, Duration.ofSeconds(5), 4096);
      long started = System.nanoTime();
      return client.send(HttpMethod.POST, "http://127.0.0.1:" + s.actualPort() + "/", Map.of(), Buffer.buffer("{}"),
          Duration.ofMillis(1500)).map(reply -> {
            test.verify(() -> {
              Reply.Answered a = assertInstanceOf(Reply.Answered.class, reply);
              assertEquals(503, a.status());
              assertFalse(a.complete());
              assertTrue(a.body().startsWith("x"), a.body());
              // an idle timeout (1.5 s) would never fire: a byte comes every 2 s
              assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos());
            });
            return reply;
          });
    }).onComplete(test.succeedingThenComplete());
  }

  @Test
  void noStatusLineBeforeTheDeadlineIsATimeout(Vertx vertx, VertxTestContext test) {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> { /* never answers */ });
    server.listen(0, "127.0.0.1").compose(s -> new OutboundClient(vertx, Duration.ofSeconds(5), 4096)
            .send(HttpMethod.GET, "http://127.0.0.1:" + s.actualPort() + "/", Map.of(), null, Duration.ofMillis(300)))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertEquals(new Reply.Unanswered(FailureKind.TIMEOUT), reply);
          test.completeNow();
        })));
  }

  @Test
  void aRefusedConnectionIsAConnectFailure(Vertx vertx, VertxTestContext test) {
    vertx.createHttpServer().requestHandler(req -> { }).listen(0, "127.0.0.1")
        .compose(s -> s.close().map(v -> s.actualPort()))
        .compose(port -> new OutboundClient(vertx, Duration.ofSeconds(5), 4096)
            .send(HttpMethod.POST, "http://127.0.0.1:" + port + "/", Map.of(), Buffer.buffer("{}"), Duration.ofSeconds(5)))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertEquals(new Reply.Unanswered(FailureKind.CONNECT), reply);
          test.completeNow();
        })));
  }

  @Test
  void anAnswerIsReadWhole(Vertx vertx, VertxTestContext test) {
    vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> req.response().setStatusCode(429)
            .putHeader("retry-after", "3").end("got " + b)))
        .listen(0, "127.0.0.1")
        .compose(s -> new OutboundClient(vertx, Duration.ofSeconds(5), 4096)
            .send(HttpMethod.POST, "http://127.0.0.1:" + s.actualPort() + "/", Map.of("x-a", "b"), Buffer.buffer("{}"),
                Duration.ofSeconds(5)))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertEquals(new Reply.Answered(429, "3", "got {}", true), reply);
          test.completeNow();
        })));
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
