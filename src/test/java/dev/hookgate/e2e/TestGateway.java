package dev.hookgate.e2e;

import dev.hookgate.Gateway;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway started in-process on a free port from a YAML config, with its store in a temporary
 * folder, and a small blocking HTTP client to talk to it as a chat server or a producer would.
 */
public final class TestGateway implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Vertx vertx;
  private final Gateway gateway;
  private final Path dir;

  private TestGateway(Vertx vertx, Gateway gateway, Path dir) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.dir = dir;
  }

  /** Starts a gateway; {@code yaml} may use ${DB} for the store path; http.port is forced to 0. */
  public static TestGateway start(String yaml) throws Exception {
    Path dir = Files.createTempDirectory("hookgate-test");
    return start(yaml, dir);
  }

  /** Starts a gateway on an existing store folder (to test restarts). */
  public static TestGateway start(String yaml, Path dir) throws Exception {
    return start(yaml, dir, Clock.systemUTC());
  }

  /** Starts a gateway with an injected clock (schedules, expiry). */
  public static TestGateway start(String yaml, Path dir, Clock clock) throws Exception {
    Path file = dir.resolve("hookgate.yaml");
    Files.writeString(file, yaml);
    dev.hookgate.ops.GatewayMetrics metrics = dev.hookgate.ops.GatewayMetrics.create();
    Vertx vertx = Gateway.newVertx(metrics);
    GatewayConfig config = ConfigLoader.load(vertx, file.toString(),
        Map.of("DB", dir.resolve("hookgate.db").toString(), "HOOKGATE_HTTP_PORT", "0")).await(10, TimeUnit.SECONDS);
    Gateway gateway = Gateway.start(vertx, metrics, config, clock).await(20, TimeUnit.SECONDS);
    return new TestGateway(vertx, gateway, dir);
  }

  public Path dir() {
    return dir;
  }

  public Gateway gateway() {
    return gateway;
  }

  /** The gateway's Vert.x (its event bus answers the verticles' queries). */
  public Vertx vertx() {
    return vertx;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + gateway.port() + path;
  }

  public HttpResponse<String> postForm(String path, String body, String... headers) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url(path)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), headers);
  }

  public HttpResponse<String> postJson(String path, String body, String... headers) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url(path)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), headers);
  }

  public HttpResponse<String> post(String path, String contentType, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b, headers);
  }

  public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), headers);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    gateway.close().await(20, TimeUnit.SECONDS);
  }
}
