package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.store.Delivery;
import dev.hookgate.store.DeliveryState;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A response_url whose server never completes the TCP handshake (a full accept queue on 127.0.0.1):
 * every attempt is a connect timeout, which never reached the chat server, so none of them spends
 * one of the response_url's 5 uses. Once the server answers, the reply goes to the response_url
 * itself, after more than 5 failed attempts.
 */
class ConnectTimeoutBudgetTest {
  private static final String TOKEN = "connecttoken0123456789ab";

  @Test
  void connectTimeoutsLeaveTheResponseUrlBudgetUntouched() throws Exception {
    List<Socket> filling = new ArrayList<>();
    ServerSocket blackhole = new ServerSocket();
    blackhole.bind(new InetSocketAddress("127.0.0.1", 0), 1); // never accepts: its queue fills up
    int port = blackhole.getLocalPort();
    for (int i = 0; i < 8; i++) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      } catch (java.io.IOException full) {
        // the queue is full: later connections time out, as the gateway's will
      }
      filling.add(s);
    }
    String yaml = """
        store: {path: "${DB}"}
        response-url: {allowed-hosts: ["http://127.0.0.1:%1$d"]}
        delivery: {backoff: [50ms], max-attempts: 100, connect-timeout: 300ms}
        commands:
          echo:
            token: %2$s
            job: {template: "done"}
            reply: {response-type: in_channel}
        """.formatted(port, TOKEN);
    Vertx vertx = Vertx.vertx();
    try (TestGateway gw = TestGateway.start(yaml)) {
      String responseUrl = "http://127.0.0.1:" + port + "/hooks/commands/abcdefghijkmnopqrstuwxyz1";
      assertEquals(200, gw.postForm("/commands/echo", "token=" + TOKEN + "&text=go&user_id=u&channel_id=c"
          + "&response_url=" + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8)).statusCode());
      await("seven connect timeouts", 30_000, () -> attempts(gw) >= 7);
      assertTrue(gw.gateway().services().store().deliveries(DeliveryState.PENDING, 10).await(10, TimeUnit.SECONDS)
          .get(0).lastError().equals("connection refused or unreachable"));

      // the chat server is back on that port
      blackhole.close();
      for (Socket s : filling) {
        s.close();
      }
      List<String> received = new CopyOnWriteArrayList<>();
      HttpServer chat = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        received.add(req.path() + " " + b);
        req.response().end("ok");
      })).listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
      await("the reply at the response_url", 30_000, () -> !received.isEmpty());
      assertTrue(received.get(0).startsWith("/hooks/commands/abcdefghijkmnopqrstuwxyz1 "), received.get(0));
      assertTrue(received.get(0).contains("done"), received.get(0));
      await("delivered", 10_000, () -> delivered(gw) == 1);
      chat.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      blackhole.close();
    }
  }

  private static int attempts(TestGateway gw) {
    try {
      List<Delivery> pending = gw.gateway().services().store().deliveries(DeliveryState.PENDING, 10)
          .await(10, TimeUnit.SECONDS);
      return pending.isEmpty() ? 0 : pending.get(0).attempts();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static int delivered(TestGateway gw) {
    try {
      return gw.gateway().services().store().deliveries(DeliveryState.DELIVERED, 10).await(10, TimeUnit.SECONDS).size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
