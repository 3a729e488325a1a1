package dev.hookgate.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pool and the two clocks: a request that got no connection was never written (NOT_SENT, the
 * server never sees it), a request's deadline starts when it is written, and a burst against a
 * slow server reaches it once per request.
 */
@ExtendWith(VertxExtension.class)
class OutboundPoolTest {

  /** A server answering each request after {@code latencyMs}, counting requests per path. */
  private static Future<HttpServer> slowServer(Vertx vertx, long latencyMs, Map<String, AtomicInteger> seen) {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      seen.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
      vertx.setTimer(latencyMs, t -> req.response().end("ok"));
    })).listen(0, "127.0.0.1");
  }

  private static Future<Reply> post(OutboundClient client, HttpServer s, String path, Duration deadline) {
    return client.send(HttpMethod.POST, "http://127.0.0.1:" + s.actualPort() + path, Map.of(),
        Buffer.buffer("{\"text\":\"" + path + "\"}"), deadline);
  }

  @Test
  void aRequestThatGotNoConnectionWasNeverWritten(Vertx vertx, VertxTestContext test) {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    slowServer(vertx, 1000, seen).compose(s -> {
      OutboundClient client = new OutboundClient(vertx, Duration.ofSeconds(5), 4096, 1);
      Future<Reply> first = post(client, s, "/first", Duration.ofSeconds(10));
      Future<Reply> second = post(client, s, "/second", Duration.ofMillis(200));
      return second.compose(r2 -> first.compose(r1 -> post(client, s, "/third", Duration.ofSeconds(10))
          .map(r3 -> List.of(r1, r2, r3))));
    }).onComplete(test.succeeding(replies -> test.verify(() -> {
      assertEquals(200, assertInstanceOf(Reply.Answered.class, replies.get(0)).status());
      assertEquals(new Reply.Unanswered(FailureKind.NOT_SENT), replies.get(1));
      assertEquals(200, assertInstanceOf(Reply.Answered.class, replies.get(2)).status());
      // on the one connection, a written /second would have reached the server before /third
      assertEquals(Map.of("/first", 1, "/third", 1), counts(seen));
      assertTrue(!FailureKind.NOT_SENT.mayHaveReachedTheServer());
      test.completeNow();
    })));
  }

  @Test
  void theDeadlineStartsWhenTheRequestIsWritten(Vertx vertx, VertxTestContext test) {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    slowServer(vertx, 400, seen).compose(s -> {
      OutboundClient client = new OutboundClient(vertx, Duration.ofSeconds(5), 4096, 1);
      Future<Reply> first = post(client, s, "/first", Duration.ofSeconds(10));
      // waits ~400 ms for the connection, then ~400 ms for its answer: over 700 ms in all, under 700 ms from the write
      Future<Reply> second = post(client, s, "/second", Duration.ofMillis(700));
      return Future.all(first, second).map(v -> List.of(first.result(), second.result()));
    }).onComplete(test.succeeding(replies -> test.verify(() -> {
      assertEquals(200, assertInstanceOf(Reply.Answered.class, replies.get(0)).status());
      assertEquals(200, assertInstanceOf(Reply.Answered.class, replies.get(1)).status());
      test.completeNow();
    })));
  }

  @Test
  void aBurstAgainstASlowServerReachesItOncePerRequest(Vertx vertx, VertxTestContext test) {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    int n = 1500;
    slowServer(vertx, 50, seen).compose(s -> {
      OutboundClient client = new OutboundClient(vertx, Duration.ofSeconds(5), 4096);
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        replies.add(post(client, s, "/hooks/commands/" + i, Duration.ofSeconds(10)));
      }
      return Future.all(replies).map(v -> replies.stream().map(Future::result).toList());
    }).onComplete(test.succeeding(replies -> test.verify(() -> {
      for (Reply r : replies) {
        assertEquals(200, assertInstanceOf(Reply.Answered.class, r).status());
      }
      assertEquals(n, seen.size());
      seen.forEach((path, count) -> assertEquals(1, count.get(), path));
      test.completeNow();
    })));
  }

  @Test
  void underAStarvedPoolEachRequestIsEitherNotSentAndUnseenOrAnsweredAndSeenOnce(Vertx vertx,
      VertxTestContext test) {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    int n = 200;
    slowServer(vertx, 50, seen).compose(s -> {
      OutboundClient client = new OutboundClient(vertx, Duration.ofSeconds(5), 4096, 2);
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        replies.add(post(client, s, "/r/" + i, Duration.ofMillis(300)));
      }
      // after them, on the same two connections: anything written before has reached the server
      return Future.all(replies).compose(v -> Future.all(post(client, s, "/end/1", Duration.ofSeconds(5)),
              post(client, s, "/end/2", Duration.ofSeconds(5))))
          .map(v -> replies.stream().map(Future::result).toList());
    }).onComplete(test.succeeding(replies -> test.verify(() -> {
      int notSent = 0;
      for (int i = 0; i < n; i++) {
        AtomicInteger count = seen.get("/r/" + i);
        if (replies.get(i) instanceof Reply.Unanswered u) {
          assertEquals(FailureKind.NOT_SENT, u.kind(), "request " + i);
          assertEquals(null, count, "request " + i + " was not sent, yet the server saw it");
          notSent++;
        } else {
          assertEquals(200, ((Reply.Answered) replies.get(i)).status());
          assertEquals(1, count.get(), "request " + i);
        }
      }
      assertTrue(notSent > 0, "the pool was not starved: every request got a connection");
      test.completeNow();
    })));
  }

  private static Map<String, Integer> counts(Map<String, AtomicInteger> seen) {
    Map<String, Integer> out = new java.util.HashMap<>();
    seen.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
