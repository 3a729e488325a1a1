package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HOOKGATE_&lt;KEY&gt; against the fat jar: keys the file does not mention (the README's advice behind
 * a proxy, TLS) take effect; a variable that names no key stops the start with one clear line.
 */
class ConfigOverridesIT {
  static final String TOKEN = "overridetoken0123456789a";

  @TempDir Path dir;

  Path config() throws Exception {
    Path config = dir.resolve("hookgate.yaml");
    Files.writeString(config, """
        store: {path: data/hookgate.db}
        response-url: {allowed-hosts: [team.example.org]}
        commands:
          echo: {token: %s, job: {template: "x"}}
        """.formatted(TOKEN));
    return config;
  }

  @Test
  void authFailuresPerMinuteZeroAbsentFromTheFileTurnsTheThrottleOff() throws Exception {
    try (GatewayProcess gw = GatewayProcess.start(dir, config(),
        Map.of("HOOKGATE_SECURITY_AUTH_FAILURES_PER_MINUTE", "0"))) {
      for (int i = 0; i < 30; i++) { // above the default of 20 a minute
        assertEquals(401, gw.postForm("/commands/echo", "token=wrong&user_id=u").statusCode(), "attempt " + i);
      }
    }
  }

  @Test
  void tlsCertAndKeyAbsentFromTheFileServeHttps() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    TlsE2ETest.selfSigned(cert, key);
    Path log = dir.resolve("tls.log");
    ProcessBuilder pb = new ProcessBuilder(GatewayProcess.javaBin(), "-jar", GatewayProcess.jar().toAbsolutePath()
        .toString(), "--config", config().toString()).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(n -> n.startsWith("HOOKGATE_"));
    pb.environment().putAll(Map.of("HOOKGATE_HTTP_PORT", "0", "HOOKGATE_HTTP_HOST", "127.0.0.1",
        "HOOKGATE_HTTP_TLS_CERT", cert.toString(), "HOOKGATE_HTTP_TLS_KEY", key.toString()));
    Process p = pb.start();
    try {
      FakeChatServer.await("the start line", 30_000, () -> GatewayProcess.listeningPort(read(log)).isPresent()
          || !p.isAlive());
      int port = GatewayProcess.listeningPort(read(log)).orElseThrow(() -> new AssertionError(read(log)));
      HttpClient https = HttpClient.newBuilder().sslContext(TlsE2ETest.trusting(cert)).build();
      HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
          + "/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void aVariableThatNamesNoKeyStopsTheStartWithOneClearLine() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(GatewayProcess.javaBin(), "-jar", GatewayProcess.jar().toAbsolutePath()
        .toString(), "--config", config().toString()).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(n -> n.startsWith("HOOKGATE_"));
    pb.environment().put("HOOKGATE_SECURITY_AUTH_FAILURE_PER_MINUTE", "0"); // "FAILURE": a typo
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(3, p.waitFor(), out);
    List<String> lines = out.lines().toList();
    assertEquals(1, lines.size(), out);
    assertTrue(lines.get(0).contains("HOOKGATE_SECURITY_AUTH_FAILURE_PER_MINUTE: names no config key"), out);
  }

  static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return "";
    }
  }
}
