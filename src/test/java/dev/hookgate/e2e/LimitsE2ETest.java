package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Header size and slow-request limits, from a raw socket where a client library would not misbehave. */
class LimitsE2ETest {
  static final String KEY = "limitshookkey0123456789a";
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = TestGateway.start("""
        store: {path: "${DB}"}
        http: {max-header-bytes: 2048, idle-timeout: 5s, request-timeout: 1500ms}
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

  @Test
  void headersOverTheLimitAreRefused() throws Exception {
    HttpResponse<String> ok = gw.get("/health", "X-Filler", "a".repeat(1000));
    assertEquals(200, ok.statusCode());
    try (Socket s = connect()) {
      s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(3000) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String answer = readAll(s, 5000);
      assertTrue(answer.startsWith("HTTP/1.1 431") || answer.startsWith("HTTP/1.1 400"), answer);
    }
  }

  @Test
  void aTrickledBodyGets408AndTheConnectionIsClosed() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /hooks/" + KEY + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.nanoTime();
      AtomicBoolean stop = trickle(out);
      String answer = readAll(s, 8000);
      stop.set(true);
      long ms = (System.nanoTime() - started) / 1_000_000;
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("request_timeout"), answer);
      assertTrue(ms >= 1000 && ms < 4500, "closed after " + ms + " ms (request-timeout 1.5 s, idle 5 s)");
    }
  }

  @Test
  void aTrickledHeadIsCut() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write("POST /commands/echo HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.nanoTime();
      AtomicBoolean stop = trickle(out);
      String answer = readAll(s, 8000);
      stop.set(true);
      long ms = (System.nanoTime() - started) / 1_000_000;
      assertEquals("", answer);
      assertTrue(ms >= 1000 && ms < 4500, "closed after " + ms + " ms (request-timeout 1.5 s, idle 5 s)");
    }
  }

  @Test
  void aKeptAliveConnectionMayIdleThenTrickleOnlyBoundedly() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buf = new byte[4096];
      s.setSoTimeout(5000);
      int n = s.getInputStream().read(buf);
      assertTrue(new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      Thread.sleep(2000); // idle, kept alive: longer than request-timeout, shorter than idle-timeout
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      n = s.getInputStream().read(buf);
      assertTrue(new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      out.write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();
      AtomicBoolean stop = trickle(out);
      String answer = readAll(s, 12_000);
      stop.set(true);
      long ms = (System.nanoTime() - started) / 1_000_000;
      assertEquals("", answer);
      assertTrue(ms < 9000, "closed after " + ms + " ms (idle 5 s + request 1.5 s)");
    }
  }

  static Socket connect() throws IOException {
    return new Socket("127.0.0.1", gw.gateway().port());
  }

  /** Sends one harmless byte every 2 s from another thread until told to stop or the socket fails. */
  static AtomicBoolean trickle(OutputStream out) {
    AtomicBoolean stop = new AtomicBoolean();
    Thread t = new Thread(() -> {
      try {
        while (!stop.get()) {
          Thread.sleep(2000);
          out.write('x');
          out.flush();
        }
      } catch (Exception e) {
        // closed by the server: what the test expects
      }
    }, "trickle");
    t.setDaemon(true);
    t.start();
    return stop;
  }

  /** Everything the server sends until it closes the connection; fails if it does not within {@code ms}. */
  static String readAll(Socket s, int ms) throws IOException {
    s.setSoTimeout(ms);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open; got so far: " + got.toString(StandardCharsets.UTF_8));
    } catch (java.net.SocketException e) {
      // reset: closed as well
    }
    return got.toString(StandardCharsets.UTF_8);
  }
}
