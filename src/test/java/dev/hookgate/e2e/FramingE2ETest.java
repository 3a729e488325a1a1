package dev.hookgate.e2e;

import static dev.hookgate.e2e.LimitsE2ETest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request framing (RFC 9112 §6), from a raw socket: ambiguous or broken framing gets 400 and a closed connection. */
class FramingE2ETest {
  static final String KEY = "framinghookkey0123456789";
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = TestGateway.start("""
        store: {path: "${DB}"}
        destinations:
          ops: {url: "http://127.0.0.1:9/hooks/x"}
        hooks:
          alerts: {key: %s, destination: ops}
        """.formatted(KEY));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  /** Sends raw bytes; returns everything answered until the server closes (fails if it keeps the connection). */
  static String exchange(String raw) throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.gateway().port())) {
      s.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return readAll(s, 10_000);
    }
  }

  /** A 400 in the relay's error shape, alone on a connection the server closed. */
  static void assertOnlyA400(String answer) {
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(answer.contains("\"status_code\":400") && answer.contains("\"id\":\"web.incoming_webhook.parse.app_error\""),
        answer);
    assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer only, nothing smuggled: " + answer);
  }

  static String head(String framing) {
    return "POST /hooks/" + KEY + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + framing + "\r\n";
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedAndTheSmuggledRequestNeverRuns() throws Exception {
    String smuggled = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    assertOnlyA400(exchange(head("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n" + smuggled));
    assertOnlyA400(exchange(head("Transfer-Encoding: chunked\r\nContent-Length: 40\r\n") + "0\r\n\r\n" + smuggled));
  }

  /** Messages the relay accepted for the hook so far. */
  static double accepted() {
    return gw.gateway().services().metrics().registry().get("hookgate_hook_messages")
        .tags("hook", "alerts", "outcome", "accepted").counter().count();
  }

  /**
   * A refused request and a valid POST behind it, in one TCP segment: the 400 alone is answered and the
   * POST never runs. A valid POST sent afterwards on its own connection is the only one accepted (its
   * 200 comes after its commit, and the store writes in order).
   */
  @Test
  void aValidPostPipelinedBehindARefusedRequestNeverRuns() throws Exception {
    String body = "{\"text\":\"smuggled\"}";
    String smuggled = head("Content-Length: " + body.length() + "\r\n") + body;
    for (String framing : List.of("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "Transfer-Encoding: chunked, identity\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n")) {
      double before = accepted();
      assertOnlyA400(exchange(head(framing) + "0\r\n\r\n" + smuggled));
      assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"after\"}").statusCode());
      assertEquals(before + 1, accepted(), "only the message sent afterwards was accepted, behind: " + framing);
    }
  }

  @Test
  void aTransferEncodingOtherThanExactlyChunkedIsRefused() throws Exception {
    assertOnlyA400(exchange(head("Transfer-Encoding: chunked, identity\r\n") + "0\r\n\r\n"));
    assertOnlyA400(exchange(head("Transfer-Encoding: identity, chunked\r\n") + "0\r\n\r\n"));
  }

  @Test
  void aTransferEncodingNotEndingInChunkedIsRefused() throws Exception {
    assertOnlyA400(exchange(head("Transfer-Encoding: gzip\r\n") + "{\"text\":\"x\"}"));
    assertOnlyA400(exchange(head("Transfer-Encoding: identity\r\nContent-Length: 12\r\n") + "{\"text\":\"x\"}"));
  }

  @Test
  void aMalformedChunkSizeGets400InTheRelaysShapeAndTheConnectionIsClosed() throws Exception {
    String answer = exchange(head("Transfer-Encoding: chunked\r\n") + "zz\r\n{\"text\":\"x\"}\r\n0\r\n\r\n");
    assertOnlyA400(answer);
    assertTrue(answer.contains("malformed chunked request body"), answer);
    assertTrue(answer.toLowerCase().contains("connection: close"), answer);
  }

  @Test
  void wellFramedChunkedRequestsAreServedOnAKeptAliveConnection() throws Exception {
    String body = "{\"text\":\"x\"}";
    String chunked = head("Transfer-Encoding: chunked\r\n") + Integer.toHexString(body.length()) + "\r\n" + body
        + "\r\n0\r\n\r\n";
    String answer = exchange(chunked + chunked.replace("Host: x", "Host: x\r\nConnection: close"));
    assertEquals(2, answer.split("HTTP/1.1 200", -1).length - 1, answer);
  }
}
