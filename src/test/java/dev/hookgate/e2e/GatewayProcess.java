package dev.hookgate.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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

/** The fat jar as ops run it: {@code java -jar target/hookgate.jar --config FILE}, as a child process. */
public final class GatewayProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final int port;
  private final Path log;

  private GatewayProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("hookgate.jar", "target/hookgate.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no fat jar at " + jar + ": run mvn package first");
    }
    return jar;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the jar in {@code dir} with {@code config} and waits until /health answers. */
  public static GatewayProcess start(Path dir, Path config, int port, Map<String, String> env, String... extraArgs)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar().toAbsolutePath().toString(),
        "--config", config.toString()));
    cmd.addAll(List.of(extraArgs));
    Path log = dir.resolve("gateway-" + System.nanoTime() + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("HOOKGATE_HTTP_PORT", String.valueOf(port));
    Process p = pb.start();
    GatewayProcess gp = new GatewayProcess(p, port, log);
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("gateway exited with " + p.exitValue() + ":\n" + gp.output());
      }
      try {
        if (gp.get("/health").statusCode() == 200) {
          return gp;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.currentTimeMillis() > deadline) {
        gp.kill();
        throw new IllegalStateException("gateway did not start:\n" + gp.output());
      }
      Thread.sleep(50);
    }
  }

  static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with headers given as name, value, name, value... */
  public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> postForm(String path, String form, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public Process process() {
    return process;
  }

  public String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** SIGKILL: no shutdown hook, no flush, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the graceful stop. */
  public int terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
