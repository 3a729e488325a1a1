package dev.hookgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hookgate.config.ConfigParser;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The guard behind a route that checks a credential, over HTTP, with a settable clock. */
@ExtendWith(VertxExtension.class)
class AuthThrottleGuardTest {
  static final int LIMIT = 3;
  final AtomicLong now = new AtomicLong(1_000_000);
  final GatewayMetrics metrics = GatewayMetrics.create();
  WebClient client;
  int port;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) {
    GatewayConfig config = ConfigParser.parse(new JsonObject().put("store", new JsonObject().put("path", "x.db"))
        .put("security", new JsonObject().put("auth-failures-per-minute", LIMIT)));
    AuthThrottleGuard guard = new AuthThrottleGuard(new AuthFailureThrottle(100, now::get), metrics);
    Router router = Router.router(vertx);
    router.route().handler(ctx -> Exchange.begin(ctx, config));
    router.get("/door").handler(ctx -> {
      boolean authentic = "right".equals(ctx.request().getParam("key"));
      if (guard.admit(ctx, authentic)) {
        ctx.response().setStatusCode(authentic ? 200 : 401).end();
      }
    });
    client = WebClient.create(vertx);
    vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .onComplete(test.succeeding(server -> {
          port = server.actualPort();
          test.completeNow();
        }));
  }

  Future<HttpResponse<io.vertx.core.buffer.Buffer>> knock(String key) {
    return client.get(port, "127.0.0.1", "/door?key=" + key).send();
  }

  /** The statuses of these keys, sent one after the other. */
  Future<List<Integer>> knocks(String... keys) {
    List<Integer> statuses = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String key : keys) {
      chain = chain.compose(v -> knock(key)).map(r -> {
        statuses.add(r.statusCode());
        return null;
      });
    }
    return chain.map(v -> statuses);
  }

  @Test
  void failingCredentialsAreSlowedAndValidOnesAlwaysServed(VertxTestContext test) {
    knocks("wrong", "wrong", "right", "wrong", "wrong", "right", "wrong")
        .compose(statuses -> {
          test.verify(() -> assertEquals(List.of(401, 401, 200, 401, 429, 200, 429), statuses));
          return knock("wrong");
        })
        .compose(refused -> {
          test.verify(() -> {
            assertEquals(429, refused.statusCode());
            assertEquals("60", refused.getHeader("Retry-After"));
            assertEquals(3.0, metrics.registry().counter("hookgate_http_throttled_total").count());
          });
          now.addAndGet(60_000); // the minute of the first failure is over
          return knocks("wrong", "right");
        })
        .onComplete(test.succeeding(statuses -> test.verify(() -> {
          assertEquals(List.of(401, 200), statuses);
          test.completeNow();
        })));
  }
}
