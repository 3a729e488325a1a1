package dev.hookgate.e2e;

import static dev.hookgate.e2e.LimitsE2ETest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * /metrics holds a closed set of series whatever clients send: a flood of invented methods, paths,
 * hook keys and command names (pipelined, as the attack sent them) adds no series of Vert.x's or
 * hookgate's, and the scrape stays the same size.
 */
class MetricsCardinalityE2ETest {
  static final String KEY = "cardinalityhookkey012345";
  static final int FLOOD = 600;

  @Test
  void invented_methods_paths_keys_and_commands_add_no_series() throws Exception {
    try (TestGateway gw = TestGateway.start("""
        store: {path: "${DB}"}
        security: {auth-failures-per-minute: 0}
        destinations:
          ops: {url: "http://127.0.0.1:9/hooks/x"}
        commands:
          echo: {token: cardinalitytoken01234567, job: {template: "x"}}
        hooks:
          alerts: {key: %s, destination: ops}
        """.formatted(KEY))) {
      // the throttle off: every request reaches its handler. One of each kind first, so that every series the flood can touch exists already
      flood(gw, 1);
      String before = gw.get("/metrics").body();
      flood(gw, FLOOD);
      String after = gw.get("/metrics").body();

      Set<String> added = series(after);
      added.removeAll(series(before));
      assertEquals(0, added.size(), "series added by client-chosen values, e.g. "
          + added.stream().limit(5).toList());
      assertTrue(after.length() < before.length() * 1.05,
          "/metrics grew from " + before.length() + " to " + after.length() + " bytes");
      assertTrue(after.contains("method=\"other\""), "invented methods counted as other");
      assertTrue(!after.contains("XM0") && !after.contains("/nowhere0"), "no label from a method or a path");
    }
  }

  /** {@code n} requests of each kind, pipelined on one connection per kind. */
  static void flood(TestGateway gw, int n) throws Exception {
    pipeline(gw, n, i -> "XM" + i + " /x" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
    pipeline(gw, n, i -> "GET /nowhere" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
    pipeline(gw, n, i -> post("/hooks/inventedkey" + i + "abcdefghij", "application/json", "{\"text\":\"x\"}"));
    pipeline(gw, n, i -> post("/commands/invented" + i, "application/x-www-form-urlencoded", "token=x"));
  }

  static String post(String path, String type, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length()
        + "\r\n\r\n" + body;
  }

  /** Sends the requests in one go, the last one asking to close; reads every answer. */
  static void pipeline(TestGateway gw, int n, IntFunction<String> request) throws Exception {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      all.append(request.apply(i));
    }
    all.append("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", gw.gateway().port())) {
      s.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String answers = readAll(s, 30_000);
      assertEquals(n + 1, answers.split("HTTP/1.1 ", -1).length - 1, "every request answered");
    }
  }

  /** The identities (name and labels) of the series of Vert.x and hookgate in a scrape. */
  static Set<String> series(String scrape) {
    Set<String> out = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("vertx_") || line.startsWith("hookgate_")) {
        out.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return out;
  }
}
