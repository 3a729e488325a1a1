package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.delivery.DeliveryHealth;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A destination that answers its first post with a 1 GiB body (streamed by the test, never
 * buffered) and its second with a 503 whose body drips a byte a second: the lane moves on, the
 * gateway reads a few KiB of each, and every message arrives, in order.
 */
class HostileDestinationTest {
  private static final String KEY = "hostilekey0123456789abcdef";
  private static final long GIB = 1L << 30;
  private static final Buffer CHUNK = Buffer.buffer(new byte[64 * 1024]);

  private Vertx vertx;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong giantBytesWritten = new AtomicLong();
  /** The texts of the posts answered 200 (the giant body's included: its status was 200). */
  private final List<String> accepted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startDestination() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String text = new JsonObject(body).getString("text");
      int n = requests.incrementAndGet();
      HttpServerResponse resp = req.response();
      if (n == 1) {
        accepted.add(text);
        resp.setStatusCode(200).putHeader("content-length", String.valueOf(GIB));
        stream(resp);
      } else if (n == 2) {
        resp.setStatusCode(503).setChunked(true).write("x");
        long timer = vertx.setPeriodic(1000, id -> resp.write("x"));
        resp.closeHandler(v -> vertx.cancelTimer(timer));
      } else {
        accepted.add(text);
        resp.setStatusCode(200).end("ok");
      }
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private void stream(HttpServerResponse resp) {
    while (!resp.writeQueueFull() && giantBytesWritten.get() < GIB && !resp.closed()) {
      resp.write(CHUNK);
      giantBytesWritten.addAndGet(CHUNK.length());
    }
    if (giantBytesWritten.get() >= GIB) {
      resp.end();
    } else if (!resp.closed()) {
      resp.drainHandler(v -> stream(resp));
    }
  }

  @AfterEach
  void stopDestination() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void giantAndDrippingAnswersDoNotHoldTheLaneAndNothingIsLost() throws Exception {
    String yaml = """
        store: {path: "${DB}"}
        delivery: {backoff: [200ms], request-timeout: 3s}
        destinations:
          ops: {url: "http://127.0.0.1:%d/hooks/opsid", rate-per-second: 100, burst: 100, coalesce: false}
        hooks:
          alerts: {key: %s, destination: ops}
        """.formatted(server.actualPort(), KEY);
    try (TestGateway gw = TestGateway.start(yaml)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\": \"m" + i + "\"}").statusCode());
      }
      await("every message accepted", 60_000, () -> accepted.size() >= 5);
      assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), accepted);
      assertEquals(6, requests.get(), "m1 was tried twice (the dripping 503, then a 200), the others once");
      assertTrue(giantBytesWritten.get() < GIB / 8, "the gateway read on: " + giantBytesWritten.get() + " bytes");
      DeliveryHealth health = DeliveryHealth.query(gw.vertx()).await(10, TimeUnit.SECONDS);
      assertTrue(health.healthy(), health.toJson().encode());
    }
  }
}
