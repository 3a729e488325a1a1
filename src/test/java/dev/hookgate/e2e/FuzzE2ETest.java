package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.protocol.SlackSignature;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of every endpoint: 10,000 malformed requests through a keep-alive client pool,
 * plus a few hundred broken HTTP messages over raw sockets. No answer may be a 5xx or carry a stack
 * trace; the gateway must stay healthy and keep acking valid commands.
 */
class FuzzE2ETest {
  static final long SEED = Long.getLong("hookgate.fuzz.seed", 20240611L);
  static final int REQUESTS = 10_000;
  static final int RAW_REQUESTS = 400;
  static final int MAX_BODY = 16_384;
  static final String TOKEN = "fuzzCommandToken0123456789";
  static final String SIGNING = "fuzzSigningSecret0123456789abcdef";
  static final String KEY = "fuzzHookKey0123456789abcd";
  static final String ADMIN = "fuzzAdminToken0123456789";
  static final String[] STACK_TRACE = {"Exception", "at io.vertx", "at java.", "at dev.hookgate", "\tat "};

  @Test
  void malformedRequestsNeverBreakTheGateway() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      TestGateway gw = TestGateway.start("""
          store: {path: "${DB}"}
          http: {max-body-bytes: %1$d, max-form-fields: 64, request-timeout: 1s, idle-timeout: 5s}
          security: {auth-failures-per-minute: 0}
          admin: {token: %2$s}
          response-url: {allowed-hosts: ["http://127.0.0.1:%3$d"]}
          delivery: {backoff: [1s], max-attempts: 1}
          destinations:
            ops: {url: "%4$s", rate-per-second: 1000, burst: 1000}
          hooks:
            alerts: {key: %5$s, destination: ops, coalesce: 1s}
          commands:
            echo:
              token: %6$s
              job: {template: "{{text}}"}
              max-queued: 5
            slack:
              slack-signing-secret: %7$s
              team-id: [T1]
              job: {template: "{{text}}"}
          """.formatted(MAX_BODY, ADMIN, chat.port(), chat.incomingHookUrl("fuzzdest"), KEY, TOKEN, SIGNING));
      try {
        String base = gw.url("");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
            .connectTimeout(Duration.ofSeconds(5)).build();
        Random random = new Random(SEED);
        Semaphore inFlight = new Semaphore(48);
        List<String> problems = new CopyOnWriteArrayList<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
          HttpRequest request = request(random, base, chat, i);
          inFlight.acquire();
          client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1))
              .whenComplete((r, e) -> {
                inFlight.release();
                if (e != null) {
                  // a refused message may close the connection before the client finished sending: fine
                  statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                  return;
                }
                statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                check(problems, request.method() + " " + request.uri(), r.statusCode(), r.body());
              });
        }
        inFlight.acquire(48);
        inFlight.release(48);
        long clientMs = (System.nanoTime() - started) / 1_000_000;
        rawMessages(gw.gateway().port(), new Random(SEED + 1), problems);
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("fuzz: " + REQUESTS + " + " + RAW_REQUESTS + " requests in " + ms + " ms (client part "
            + clientMs + " ms), statuses "
            + new java.util.TreeMap<>(statuses));
        problems.stream().limit(200).forEach(p -> System.out.println("fuzz problem: " + p));
        assertTrue(problems.isEmpty(), problems.size() + " problem(s), first: " + problems.subList(0, Math.min(10, problems.size())));
        assertTrue(statuses.getOrDefault(-1, new AtomicInteger()).get() < REQUESTS / 10, "too many failed exchanges: " + statuses);

        assertEquals(200, gw.get("/health").statusCode());
        String responseUrl = chat.issueResponseUrl();
        HttpResponse<String> ack = gw.postForm("/commands/echo", "token=" + TOKEN + "&user_id=u&channel_id=c&text=after"
            + "&response_url=" + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8));
        assertEquals(200, ack.statusCode(), ack.body());
        assertTrue(ack.body().contains("\"response_type\":\"ephemeral\""), ack.body());
        pool.shutdownNow();
      } finally {
        gw.close();
      }
    }
  }

  static void check(List<String> problems, String what, int status, String body) {
    if (status >= 500) {
      problems.add(what + " -> " + status + " " + abbreviate(body));
    }
    for (String s : STACK_TRACE) {
      if (body != null && body.contains(s)) {
        problems.add(what + " -> stack trace text \"" + s.trim() + "\": " + abbreviate(body));
      }
    }
  }

  static String abbreviate(String s) {
    return s == null || s.length() < 300 ? s : s.substring(0, 300) + "…";
  }

  // ---------------------------------------------------------------- through the client

  static final String[] CONTENT_TYPES = {null, "application/x-www-form-urlencoded", "application/json",
      "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/json; charset=utf-16",
      "multipart/form-data; boundary=xyz", "multipart/form-data", "text/plain", "application/xml",
      "application/x-www-form-urlencoded;;;", "*/*", "application/json, text/plain", "x/y; a=\"unterminated"};

  static HttpRequest request(Random r, String base, FakeChatServer chat, int i) {
    String path;
    String method = "POST";
    int kind = r.nextInt(16);
    switch (kind) {
      case 0, 1, 2 -> path = "/commands/echo";
      case 3 -> { path = "/commands/echo?" + query(r); method = "GET"; }
      case 4 -> path = "/commands/slack";
      case 5, 6, 7 -> path = "/hooks/" + KEY;
      case 8 -> path = "/hooks/" + (r.nextBoolean() ? KEY.substring(0, r.nextInt(KEY.length())) : token(r, 1 + r.nextInt(40)));
      case 9 -> { path = pick(r, "/api/jobs", "/api/jobs/" + token(r, 30), "/api/deliveries", "/api/queues", "/api",
          "/api/jobs?limit=" + pick(r, "-1", "0", "501", "99999999999999999999", "1e3", "%20", "abc", "50"),
          "/api/deliveries?state=" + pick(r, "dead", "DEAD", "", "x", "pending&state=dead", "%00")); method = "GET"; }
      case 10 -> path = "/api/deliveries/" + pick(r, "1", "-1", "99999999999999999999", "abc", "0x10", "%20") + "/retry";
      case 11 -> { path = pick(r, "/health", "/metrics", "/health?x=" + token(r, 5)); method = "GET"; }
      case 12 -> { path = pick(r, "/admin", "/admin/", "/admin/index.html", "/admin/..%2F..%2Fpom.xml",
          "/admin/%2e%2e/%2e%2e/etc/passwd", "/admin/x/../../../README.md", "/admin/" + token(r, 10)); method = "GET"; }
      case 13 -> path = pick(r, "/", "/commands", "/commands/", "/commands/unknown", "/hooks", "/hooks/", "/x/" + token(r, 8),
          "/commands/echo/extra", "/%E2%82%AC", "/commands/%C3%28", "/hooks/%FF%FE");
      default -> { path = pick(r, "/commands/echo", "/hooks/" + KEY, "/api/jobs", "/health", "/metrics", "/admin/");
          method = pick(r, "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "GET", "FOO"); }
    }
    boolean hook = path.startsWith("/hooks/");
    byte[] body = method.equals("GET") || method.equals("HEAD") || r.nextInt(10) == 0 ? new byte[0]
        : hook ? hookBody(r) : formBody(r);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .method(method, body.length == 0 && r.nextBoolean() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    String type = r.nextInt(4) == 0 ? pick(r, CONTENT_TYPES)
        : hook ? (r.nextInt(4) == 0 ? "application/x-www-form-urlencoded" : "application/json")
        : "application/x-www-form-urlencoded";
    if (type != null) {
      b.header("Content-Type", type);
    }
    switch (r.nextInt(8)) {
      case 0 -> b.header("Authorization", "Token " + TOKEN);
      case 1 -> b.header("Authorization", "Bearer " + ADMIN);
      case 2 -> b.header("Authorization", pick(r, "Token ", "Bearer ", "Token  " + TOKEN + " ", "Basic Zm9vOmJhcg==",
          "bearer " + ADMIN.toUpperCase(), token(r, 200)));
      case 3 -> {
        String ts = pick(r, String.valueOf(System.currentTimeMillis() / 1000), "0", "-1", "abc",
            "99999999999999999999999", "1e9", "");
        b.header(SlackSignature.TIMESTAMP_HEADER, ts.isEmpty() ? "x" : ts);
        b.header(SlackSignature.SIGNATURE_HEADER, r.nextBoolean() ? SlackSignature.sign(SIGNING, ts, body)
            : pick(r, "v0=", "v1=abc", "v0=" + "g".repeat(64), token(r, 70)));
      }
      case 4 -> b.header("Idempotency-Key", pick(r, " ", "k" + r.nextInt(5), token(r, 300)));
      default -> { }
    }
    if (r.nextInt(20) == 0) {
      for (int h = 0; h < 5; h++) {
        b.header("X-Dup", token(r, 10)); // repeated headers
      }
    }
    return b.build();
  }

  static byte[] formBody(Random r) {
    StringBuilder sb = new StringBuilder();
    switch (r.nextInt(10)) {
      case 0 -> { return randomBytes(r, r.nextInt(2000)); }
      case 1 -> { return badUtf8(r); }
      case 2 -> sb.append(pick(r, "%", "%z", "%zz", "a=%", "a=%G1", "%%%", "=", "&&&", "==&==", "a", "%C3%28=%FF",
          "text=%E2%82", "token=%00&user_id=%0A"));
      case 3 -> sb.append("text=").append("x".repeat(r.nextInt(MAX_BODY + 2000))); // around the body limit
      case 4 -> { for (int k = 0; k < 60 + r.nextInt(100); k++) sb.append("f").append(k).append("=v&"); } // many fields
      case 5 -> { for (int k = 0; k < 5; k++) sb.append("token=").append(k == 0 ? TOKEN : token(r, 5)).append('&'); }
      case 6 -> sb.append("ssl_check=1&ssl_check=0");
      default -> {
        sb.append("token=").append(r.nextBoolean() ? TOKEN : token(r, 26));
        sb.append("&user_id=").append(r.nextBoolean() ? "u" : "").append("&channel_id=").append(r.nextBoolean() ? "c" : "");
        sb.append("&team_id=").append(pick(r, "T1", "T2", "", "%00"));
        sb.append("&text=").append(URLEncoder.encode(token(r, r.nextInt(50)) + "{{#x}}{{/x}}{{{y}}}{{>p}}", StandardCharsets.UTF_8));
        sb.append("&response_url=").append(URLEncoder.encode(pick(r, "", "not a url", "http://127.0.0.1:1/x",
            "https://evil.example.com/hooks/commands/x", "file:///etc/passwd", "http://[::1/x", "javascript:alert(1)",
            "http://127.0.0.1:9/hooks/commands/" + token(r, 26)), StandardCharsets.UTF_8));
        if (r.nextBoolean()) {
          sb.append("&user_id=dup&text=dup");
        }
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] hookBody(Random r) {
    String s;
    switch (r.nextInt(12)) {
      case 0 -> { return randomBytes(r, r.nextInt(2000)); }
      case 1 -> { return badUtf8(r); }
      case 2 -> s = "[".repeat(10_000);
      case 3 -> s = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
      case 4 -> s = "{\"text\":\"a\",\"text\":1,\"text\":null}";
      case 5 -> s = "{\"text\":\"" + "x".repeat(r.nextInt(MAX_BODY + 2000)) + "\"}";
      case 6 -> s = pick(r, "", "null", "[]", "1", "\"text\"", "{\"text\":5}", "{\"text\":[]}", "{\"attachments\":\"x\"}",
          "{\"attachments\":[1,null,{}]}", "{\"text\":\"\\ud800\"}", "{\"text\":\"a\"", "{'text':'a'}",
          "{\"text\":\"a\",\"props\":{\"x\":[[[[]]]]}}", "{\"text\":\"x\",\"channel\":{}}", "\uFEFF{\"text\":\"bom\"}");
      case 7 -> s = "payload=" + pick(r, "%7B", "%7B%22text%22%3A%22x%22%7D", "%%", "[", "") + "&payload=x";
      case 8 -> s = "{\"text\":\"" + "\\u0000".repeat(100) + "\",\"username\":" + "[".repeat(500) + "]".repeat(500) + "}";
      case 9 -> s = "{\"text\":1e999999,\"icon_url\":-0.0e-99999}";
      default -> s = "{\"text\":\"fuzz " + r.nextInt(1000) + "\",\"attachments\":[{\"fields\":[{\"title\":" + r.nextInt()
          + "}]}],\"priority\":{\"priority\":\"" + token(r, 4) + "\"}}";
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  static byte[] badUtf8(Random r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] prefix = pick(r, "text=", "token=" + TOKEN + "&text=", "{\"text\":\"", "payload=").getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(prefix);
    out.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80,
        (byte) 0xF0, (byte) 0x9F, (byte) 0x98});
    out.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static String query(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(6);
    for (int k = 0; k < n; k++) {
      sb.append(pick(r, "token", "text", "user_id", "channel_id", "response_url", "token", "%C3%28", "a%FFb"))
          .append('=').append(pick(r, TOKEN, "%FF", "%C3%28", "x+y", "", URLEncoder.encode(token(r, 30), StandardCharsets.UTF_8)))
          .append('&');
    }
    if (r.nextInt(10) == 0) {
      sb.append("text=").append("y".repeat(3000 + r.nextInt(6000))); // long request line
    }
    return sb.toString();
  }

  static String token(Random r, int n) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~";
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @SafeVarargs
  static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }

  // ---------------------------------------------------------------- raw HTTP messages

  static void rawMessages(int port, Random r, List<String> problems) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(64);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < RAW_REQUESTS; i++) {
      String message = rawMessage(r);
      done.add(pool.submit(() -> {
        String answer = exchange(port, message);
        if (answer.startsWith("HTTP/")) {
          int status = Integer.parseInt(answer.substring(9, 12));
          if (status == 501 && !message.split("\r\n", 2)[0].matches(".* HTTP/1\\.[01]")) {
            return null; // Vert.x's answer to a message that is not HTTP/1.x: "Not Implemented" is right
          }
          int bodyAt = answer.indexOf("\r\n\r\n");
          check(problems, "raw " + abbreviate(message.split("\r\n", 2)[0]), status,
              bodyAt < 0 ? "" : answer.substring(bodyAt + 4));
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
  }

  static String rawMessage(Random r) {
    String target = pick(r, "/commands/echo", "/commands/%zz", "/commands/echo?text=%zz&token=%", "/hooks/%ZZ%",
        "/hooks/" + KEY + "%", "/hooks/" + KEY + "?%", "/health?%%", "/api/jobs/%G0", "/commands/%00", "/hooks/..%2F" + KEY,
        "http://evil/health", "*", "/commands/echo#frag", "//commands//echo", "/commands/echo?" + "&".repeat(2000),
        "/admin/%2e%2e%2f%2e%2e%2fpom.xml", "/commands/e%63ho");
    String method = pick(r, "GET", "POST", "POST", "get", "P@ST", "CONNECT", "");
    String version = pick(r, "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTX/1.1", "");
    StringBuilder m = new StringBuilder(method + " " + target + " " + version + "\r\nHost: x\r\nConnection: close\r\n");
    String body = pick(r, "", "token=" + TOKEN + "&user_id=u&channel_id=c&text=%zz", "{\"text\":\"x\"}", "[[[[[", "%");
    switch (r.nextInt(9)) {
      case 0 -> m.append("Content-Length: ").append(pick(r, "-1", "abc", "99999999999999999999", "1, 2", "")).append("\r\n");
      case 1 -> m.append("Transfer-Encoding: chunked\r\n").append(r.nextBoolean() ? "Content-Length: 3\r\n" : "");
      case 2 -> m.append("Header-Without-Colon\r\n");
      case 3 -> m.append(" folded: header\r\n");
      case 4 -> m.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
          .append(body.length()).append("\r\n");
      case 5 -> m.append("X-Bin: \u0001\u0002\u007f\r\n");
      case 6 -> m.append("Expect: 100-continue\r\nContent-Length: ").append(body.length()).append("\r\n");
      default -> m.append("Content-Type: application/json\r\nContent-Length: ").append(body.length()).append("\r\n");
    }
    m.append("\r\n");
    if (m.indexOf("chunked") >= 0) {
      m.append(pick(r, "zz\r\n", "5\r\nab\r\n0\r\n\r\n", "ffffffffffffffffff\r\nx", "0\r\n\r\n", "-1\r\n"));
    } else {
      m.append(body);
    }
    return m.toString();
  }

  /** Sends the message; returns what the server answered before closing (or within 3 s). */
  static String exchange(int port, String message) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(3000);
      s.getOutputStream().write(message.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // kept open or reset: judge what arrived
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
