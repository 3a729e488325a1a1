package dev.hookgate.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.config.JobSpec;
import dev.hookgate.outbound.OutboundClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An http job against an upstream that echoes the request in its error body, or records its path. */
@ExtendWith(VertxExtension.class)
class HttpJobTest {
  private static final String TOKEN = "tok_9f8e7d6c5b4a39281706";
  private static final String API_KEY = "key-0a1b2c3d4e5f";

  @Test
  void anEchoedRequestNeverShowsTheJobsHeadersOrBodyValues(Vertx vertx, VertxTestContext test) {
    vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject echo = new JsonObject().put("error", "denied").put("body", body.toString());
      req.headers().forEach(h -> echo.put(h.getKey(), h.getValue()));
      req.response().setStatusCode(403).end(echo.encodePrettily());
    })).listen(0, "127.0.0.1").compose(server -> {
      JobSpec.Http spec = new JobSpec.Http("POST", "http://127.0.0.1:" + server.actualPort() + "/deploy",
          Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json", "X-Api-Key", API_KEY),
          "{\"service\": \"{{text}}\", \"password\": \"hunter2-secret\"}", Duration.ofSeconds(5));
      return HttpJob.run(new OutboundClient(vertx, Duration.ofSeconds(5), HttpJob.MAX_RESPONSE_BYTES), spec,
          Map.of("text", "billing"));
    }).onComplete(test.succeeding(result -> test.verify(() -> {
      JobResult.Failed failed = assertInstanceOf(JobResult.Failed.class, result);
      String shown = failed.reason() + "\n" + failed.detail() + "\n" + failed.values();
      for (String secret : List.of(TOKEN, API_KEY, "hunter2-secret", "billing")) {
        assertFalse(shown.contains(secret), secret + " shown in: " + shown);
      }
      assertTrue(failed.reason().startsWith("HTTP 403 from 127.0.0.1"), failed.reason());
      assertTrue(failed.detail().contains("denied"), failed.detail());
      test.completeNow();
    })));
  }

  @Test
  void aDotDotTextCannotClimbThePath(Vertx vertx, VertxTestContext test) {
    List<String> paths = new CopyOnWriteArrayList<>();
    vertx.createHttpServer().requestHandler(req -> {
      paths.add(req.uri());
      req.response().end("{}");
    }).listen(0, "127.0.0.1").compose(server -> {
      OutboundClient client = new OutboundClient(vertx, Duration.ofSeconds(5), HttpJob.MAX_RESPONSE_BYTES);
      JobSpec.Http spec = new JobSpec.Http("GET", "http://127.0.0.1:" + server.actualPort()
          + "/api/items/{{text}}/view?q={{text}}", Map.of(), "", Duration.ofSeconds(5));
      return HttpJob.run(client, spec, Map.of("text", ".."))
          .compose(r -> HttpJob.run(client, spec, Map.of("text", ".")));
    }).onComplete(test.succeeding(result -> test.verify(() -> {
      assertEquals(List.of("/api/items/%2E%2E/view?q=..", "/api/items/%2E/view?q=."), paths);
      test.completeNow();
    })));
  }

  @Test
  void dotSegmentsAreEncodedOnlyInThePath() {
    assertEquals("https://h/a/%2E%2E/b/%2E?x=../y#..", HttpJob.withoutDotSegments("https://h/a/../b/.?x=../y#.."));
    assertEquals("https://h/a..b/.c", HttpJob.withoutDotSegments("https://h/a..b/.c"));
    assertEquals("https://h", HttpJob.withoutDotSegments("https://h"));
  }
}
