package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** http.host: the gateway listens on that address only (loopback addresses only in this test). */
class BindAddressE2ETest {
  @Test
  void aGatewayBoundTo127_0_0_2AnswersThereAndRefusesConnectionsOn127_0_0_1() throws Exception {
    try (TestGateway gw = TestGateway.start("""
        store: {path: "${DB}"}
        http: {host: 127.0.0.2}
        """)) {
      int port = gw.gateway().port();
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + "/health"))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertThrows(ConnectException.class, () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        }
      }, "nothing listens on 127.0.0.1:" + port);
    }
  }
}
