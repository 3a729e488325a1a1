package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http} section's limits and TLS files, and {@code security.auth-failures-per-minute}. */
class HttpConfigParserTest {
  @TempDir Path dir;

  static HttpConfig parse(JsonObject http, JsonObject security) {
    JsonObject raw = new JsonObject().put("store", new JsonObject().put("path", "x.db"));
    if (http != null) {
      raw.put("http", http);
    }
    if (security != null) {
      raw.put("security", security);
    }
    return ConfigParser.parse(raw).http();
  }

  static String problems(JsonObject http) {
    return String.join("\n", assertThrows(ConfigException.class, () -> parse(http, null)).problems());
  }

  @Test
  void defaults() {
    HttpConfig c = parse(null, null);
    assertEquals(8192, c.maxHeaderBytes());
    assertEquals(Duration.ofSeconds(30), c.idleTimeout());
    assertEquals(Duration.ofSeconds(10), c.requestTimeout());
    assertEquals(Optional.empty(), c.tls());
    assertEquals(20, c.authFailuresPerMinute());
    assertEquals(new HttpConfig("0.0.0.0", 8080, 1_048_576, 256), c);
  }

  @Test
  void limitsAndThrottle() {
    HttpConfig c = parse(new JsonObject().put("max-header-bytes", 4096).put("idle-timeout", "5s")
        .put("request-timeout", "1500ms"), new JsonObject().put("auth-failures-per-minute", 0));
    assertEquals(4096, c.maxHeaderBytes());
    assertEquals(Duration.ofSeconds(5), c.idleTimeout());
    assertEquals(Duration.ofMillis(1500), c.requestTimeout());
    assertEquals(0, c.authFailuresPerMinute());
    assertTrue(problems(new JsonObject().put("request-timeout", "10ms")).contains("http.request-timeout: must be at least 100ms"));
    assertTrue(problems(new JsonObject().put("max-header-bytes", 10)).contains("http.max-header-bytes"));
  }

  @Test
  void tlsNeedsBothReadablePemFiles() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n");
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n");
    HttpConfig c = parse(new JsonObject().put("tls", new JsonObject().put("cert", cert.toString()).put("key", key.toString())), null);
    assertEquals(Optional.of(new HttpConfig.Tls(cert.toString(), key.toString())), c.tls());

    assertTrue(problems(new JsonObject().put("tls", new JsonObject().put("cert", cert.toString())))
        .contains("http.tls.key: is required with tls.cert"));
    assertTrue(problems(new JsonObject().put("tls", new JsonObject().put("key", key.toString())))
        .contains("http.tls.cert: is required with tls.key"));
    String missing = problems(new JsonObject().put("tls", new JsonObject().put("cert", cert.toString())
        .put("key", dir.resolve("nope.pem").toString())));
    assertTrue(missing.contains("http.tls.key: file \"" + dir.resolve("nope.pem") + "\" does not exist"), missing);
    Path notPem = Files.writeString(dir.resolve("x.txt"), "hello");
    assertTrue(problems(new JsonObject().put("tls", new JsonObject().put("cert", notPem.toString()).put("key", key.toString())))
        .contains("http.tls.cert: \"" + notPem + "\" is not a PEM file"));
    assertTrue(problems(new JsonObject().put("tls", new JsonObject().put("cert", cert.toString()).put("key", key.toString())
        .put("chain", "x"))).contains("http.tls.chain: unknown key"));
  }
}
