package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page in a real browser, against the fat jar: a notification the chat server refuses
 * (403) becomes a dead letter; once the chat server is back, a click on the page's Retry delivers it.
 * The browser side is src/test/browser/admin-page.mjs (playwright-core driving Debian's Chromium);
 * {@code make browser-deps} installs what it needs. Without node, /usr/bin/chromium or the npm
 * packages the test is skipped, except under CI=true, where it fails.
 */
class AdminPageIT {
  static final String ADMIN = "admin-page-token-0123456789abcdef";
  static final String KEY = "adminpagekey0123456789ab";
  static final String TEXT = "disk full on vm-7 (admin page test)";
  static final Path BROWSER_DIR = Path.of("src/test/browser");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOT = Path.of("target/admin-page.png");
  static final Path SCREENSHOT_DEAD = Path.of("target/admin-page-dead.png");
  static final long BROWSER_LIMIT_S = 120;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void aDeadLetterRetriedFromThePageIsDelivered() throws Exception {
    requireBrowser();
    try (FakeChatServer chat = FakeChatServer.start()) {
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, """
          store: {path: data/hookgate.db}
          admin: {token: %s}
          delivery: {backoff: [100ms, 200ms], max-attempts: 3}
          destinations:
            ops: {url: "%s"}
          hooks:
            alerts: {key: %s, destination: ops}
          """.formatted(ADMIN, chat.incomingHookUrl("opsid"), KEY));
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        String base = "http://127.0.0.1:" + gw.port();

        // the chat server refuses the message for good: a dead letter
        chat.failFor(60_000, 403);
        try {
          assertEquals(200, gw.postJson("/hooks/" + KEY, new JsonObject().put("text", TEXT).encode()).statusCode());
          await("the dead letter", 15_000, () -> find(base, "dead").isPresent());
        } finally {
          chat.failFor(0, 503); // the chat server is back
        }
        JsonObject dead = find(base, "dead").orElseThrow();
        long id = dead.getLong("id");
        assertTrue(dead.getString("last_error").contains("HTTP 403"), dead.encode());
        assertTrue(chat.postsTo("/hooks/opsid").isEmpty());
        JsonObject ops = history(base, "ops");
        assertEquals(60, ops.getJsonArray("accepted").size(), ops.encode());
        assertEquals(1, sum(ops, "accepted"), ops.encode());
        assertEquals(1, sum(ops, "dead"), ops.encode());

        // the browser: token, dead-letter table, Retry, delivered table
        String output = runBrowser(base, gw);

        JsonObject delivered = find(base, "delivered").orElseThrow(
            () -> new AssertionError("delivery " + id + " is not listed as delivered after the page's retry\n" + output));
        assertEquals(id, delivered.getLong("id"), output);
        assertTrue(delivered.getLong("delivered_at") > 0, delivered.encode());
        assertTrue(find(base, "dead").isEmpty(), "still a dead letter after the page's retry\n" + output);
        await("the chat server to receive the retried message", 10_000,
            () -> chat.postsTo("/hooks/opsid").stream().anyMatch(p -> p.text().equals(TEXT)));
        assertEquals(1, chat.postsTo("/hooks/opsid").size(), output);
        assertTrue(Files.size(SCREENSHOT) > 0, "no screenshot at " + SCREENSHOT.toAbsolutePath());
      }
    }
  }

  /** A destination's last hour from /api/history. */
  static JsonObject history(String base, String destination) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/history"))
        .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getJsonArray("destinations").stream().map(JsonObject.class::cast)
        .filter(d -> d.getString("destination").equals(destination)).findFirst().orElseThrow();
  }

  static double sum(JsonObject history, String series) {
    return history.getJsonArray(series).stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
  }

  /** Runs admin-page.mjs; returns its output, or fails with it (and the gateway's log tail). */
  static String runBrowser(String base, GatewayProcess gw) throws Exception {
    Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
    Files.deleteIfExists(SCREENSHOT);
    Files.deleteIfExists(SCREENSHOT_DEAD);
    Path out = Files.createTempFile("admin-page-", ".log");
    ProcessBuilder pb = new ProcessBuilder("node", BROWSER_DIR.resolve("admin-page.mjs").toString())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("HOOKGATE_URL", base);
    pb.environment().put("HOOKGATE_ADMIN_TOKEN", ADMIN);
    pb.environment().put("DEAD_TEXT", TEXT);
    pb.environment().put("SCREENSHOT", SCREENSHOT.toAbsolutePath().toString());
    pb.environment().put("SCREENSHOT_DEAD", SCREENSHOT_DEAD.toAbsolutePath().toString());
    pb.environment().put("CHROMIUM", CHROMIUM.toString());
    pb.environment().put("TIMEOUT_MS", "20000");
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close(); // no input
    boolean finished = p.waitFor(BROWSER_LIMIT_S, TimeUnit.SECONDS);
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(out);
    Files.deleteIfExists(out);
    String took = String.format("admin-page.mjs (%.1f s):%n", (System.nanoTime() - t0) / 1e9);
    if (!finished || p.exitValue() != 0) {
      String log = gw.output();
      fail((finished ? "admin-page.mjs exited with " + p.exitValue() : "admin-page.mjs did not finish in "
          + BROWSER_LIMIT_S + " s") + "\n--- " + took + output + "--- gateway log tail:\n"
          + log.substring(Math.max(0, log.length() - 3000)));
    }
    System.out.print(took + output);
    return output;
  }

  /** The delivery of {@link #TEXT} in {@code state} (dead, delivered), through the admin API. */
  static Optional<JsonObject> find(String base, String state) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/deliveries?state=" + state))
          .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + ADMIN).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonArray items = new JsonArray(r.body());
      for (int i = 0; i < items.size(); i++) {
        if (TEXT.equals(items.getJsonObject(i).getString("text"))) {
          return Optional.of(items.getJsonObject(i));
        }
      }
      return Optional.empty();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("admin API: " + e, e);
    }
  }

  /** Node, Chromium and playwright-core: skip without them, but fail under CI=true (CI must run this). */
  static void requireBrowser() {
    List<String> missing = new ArrayList<>();
    String node = nodeVersion();
    if (node == null) {
      missing.add("node (not on PATH)");
    }
    if (!Files.isExecutable(CHROMIUM)) {
      missing.add(CHROMIUM + " (apt-get install chromium)");
    }
    if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
      missing.add(BROWSER_DIR + "/node_modules (npm ci --prefix " + BROWSER_DIR + ")");
    }
    if (missing.isEmpty()) {
      return;
    }
    String what = "browser test needs " + String.join(", ", missing) + "; run make browser-deps";
    if ("true".equals(System.getenv("CI"))) {
      fail("CI=true and the " + what);
    }
    System.err.println("AdminPageIT skipped: the " + what); // failsafe's console shows no skip reasons
    Assumptions.abort("skipped: the " + what);
  }

  static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      String v = new String(p.getInputStream().readAllBytes()).trim();
      return p.exitValue() == 0 ? v : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
