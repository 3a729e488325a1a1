package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http.tls: a self-signed certificate made by openssl at test time; commands and hooks over HTTPS. */
class TlsE2ETest {
  static final String TOKEN = "tls-command-token-0123456789";
  static final String KEY = "tlshookkey0123456789abcd";
  @TempDir static Path dir;
  static FakeChatServer chat;
  static TestGateway gw;
  static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    selfSigned(cert, key);
    chat = FakeChatServer.start();
    gw = TestGateway.start("""
        store: {path: "${DB}"}
        http:
          host: 127.0.0.1
          tls: {cert: "%1$s", key: "%2$s"}
        response-url: {allowed-hosts: ["http://127.0.0.1:%3$d"]}
        destinations:
          ops: {url: "%4$s", rate-per-second: 100, burst: 100}
        hooks:
          alerts: {key: %5$s, destination: ops}
        commands:
          echo:
            token: %6$s
            ack: "tls ok"
            job: {template: "over tls: {{text}}"}
        """.formatted(cert, key, chat.port(), chat.incomingHookUrl("opsid"), KEY, TOKEN));
    https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(cert))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    chat.close();
  }

  /** {@code openssl req -x509 -newkey rsa:2048 -nodes ...}: what the README tells operators to run. */
  static void selfSigned(Path cert, Path key) throws Exception {
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
    assertEquals(0, p.exitValue(), "openssl failed: " + out);
  }

  /** An SSLContext trusting exactly the PEM certificate. */
  static SSLContext trusting(Path pem) throws Exception {
    Certificate c;
    try (InputStream in = Files.newInputStream(pem)) {
      c = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("hookgate", c);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  String base() {
    return "https://localhost:" + gw.gateway().port();
  }

  @Test
  void commandAndHookOverHttps() throws Exception {
    String responseUrl = chat.issueResponseUrl();
    String form = "token=" + TOKEN + "&user_id=u1&channel_id=c1&command=%2Fecho&text=hello&response_url="
        + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8);
    HttpResponse<String> ack = https.send(HttpRequest.newBuilder(URI.create(base() + "/commands/echo"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ack.statusCode(), ack.body());
    assertTrue(ack.body().contains("tls ok"), ack.body());

    HttpResponse<String> hook = https.send(HttpRequest.newBuilder(URI.create(base() + "/hooks/" + KEY))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"relayed over tls\"}"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, hook.statusCode(), hook.body());
    assertEquals("ok", hook.body());

    await("the job's reply and the relayed message", 10_000,
        () -> chat.posts().stream().anyMatch(p -> p.text().equals("over tls: hello"))
            && chat.posts().stream().anyMatch(p -> p.text().equals("relayed over tls")));
  }

  @Test
  void plainHttpAndUntrustedClientsGetNoAnswer() {
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(java.io.IOException.class, () -> plain.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gw.gateway().port() + "/health")).timeout(Duration.ofSeconds(1)).build(),
        HttpResponse.BodyHandlers.ofString()));
    HttpClient defaultTrust = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(SSLHandshakeException.class, () -> defaultTrust.send(HttpRequest.newBuilder(
        URI.create(base() + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
  }
}
