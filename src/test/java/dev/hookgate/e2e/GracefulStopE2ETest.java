package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A stop (SIGTERM runs the same close) while a producer's request is in flight: new requests are
 * refused at once (503, connection closed), and the request in flight is still served (stored and answered), so that no
 * producer is left with a closed connection for a message that was kept (it would send it again).
 */
class GracefulStopE2ETest {
  static final String KEY = "gracefulstophookkey01234";

  /**
   * Whether the stop has begun: a new request is no longer served as before (404 for this path): it is
   * refused (503), or its connection is refused or closed unanswered (the HTTP verticle instances stop
   * together; one without requests in flight closes at once).
   */
  static boolean stopping(int port) {
    try (Socket probe = new Socket("127.0.0.1", port)) {
      probe.getOutputStream().write("GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      return !LimitsE2ETest.readAll(probe, 5000).startsWith("HTTP/1.1 404");
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @Test
  void aRequestInFlightWhenTheStopBeginsIsAnsweredBeforeTheConnectionCloses() throws Exception {
    TestGateway gw = TestGateway.start("""
        store: {path: "${DB}"}
        destinations:
          ops: {url: "http://127.0.0.1:9/hooks/x"}
        hooks:
          alerts: {key: %s, destination: ops}
        """.formatted(KEY));
    int port = gw.gateway().port();
    String body = "{\"text\":\"in flight\"}";
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(("POST /hooks/" + KEY + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 5)).getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      var registry = gw.gateway().services().metrics().registry();
      FakeChatServer.await("the request in flight", 10_000, () -> registry.find("vertx.http.server.active.requests")
          .gauges().stream().mapToDouble(g -> g.value()).sum() >= 1);
      var closed = gw.gateway().close();
      FakeChatServer.await("new requests refused", 10_000, () -> stopping(port));
      s.getOutputStream().write(body.substring(5).getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String answer = LimitsE2ETest.readAll(s, 15_000);
      assertTrue(answer.startsWith("HTTP/1.1 200"), "answered: " + answer);
      assertTrue(answer.toLowerCase().contains("connection: close"), answer);
      closed.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
