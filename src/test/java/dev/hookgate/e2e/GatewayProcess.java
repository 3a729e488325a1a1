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

  /**
   * A port free at the time of the call. Racy (another process may take it before it is used): for a
   * gateway, prefer {@link #start(Path, Path, Map, String...)}, which lets it bind port 0.
   */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static final java.util.regex.Pattern LISTENING =
      java.util.regex.Pattern.compile("hookgate [^ ]* ?listening on \\S+:(\\d+) ");

  /** The port of the start line ({@code hookgate ... listening on HOST:PORT (...)}), once logged. */
  public static java.util.Optional<Integer> listeningPort(String log) {
    java.util.regex.Matcher m = LISTENING.matcher(log);
    return m.find() ? java.util.Optional.of(Integer.parseInt(m.group(1))) : java.util.Optional.empty();
  }

  /**
   * Starts the jar in {@code dir} with {@code config} on a port the gateway picks itself (port 0,
   * read back from its start line: no port is chosen here and handed over), and waits until /health
   * answers.
   */
  public static GatewayProcess start(Path dir, Path config, Map<String, String> env, String... extraArgs)
      throws Exception {
    return start(dir, config, 0, env, extraArgs);
  }

  /**
   * Starts the jar in {@code dir} with {@code config} on {@code port} ({@code HOOKGATE_HTTP_PORT}; 0:
   * the gateway picks a free one, read from its start line) and waits until /health answers.
   */
  public static GatewayProcess start(Path dir, Path config, int port, Map<String, String> env, String... extraArgs)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar().toAbsolutePath().toString(),
        "--config", config.toString()));
    cmd.addAll(List.of(extraArgs));
    Path log = dir.resolve("gateway-" + System.nanoTime() + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // only the variables given: one inherited from the test's environment (HOOKGATE_TEST_PG_URI) names no key
    pb.environment().keySet().removeIf(name -> name.startsWith("HOOKGATE_"));
    pb.environment().putAll(env);
    pb.environment().put("HOOKGATE_HTTP_PORT", String.valueOf(port));
    Process p = pb.start();
    GatewayProcess starting = new GatewayProcess(p, port, log);
    long deadline = System.currentTimeMillis() + 30_000;
    GatewayProcess gp = port == 0 ? null : starting;
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("gateway exited with " + p.exitValue() + ":\n" + starting.output());
      }
      if (gp == null) {
        gp = listeningPort(starting.output()).map(actual -> new GatewayProcess(p, actual, log)).orElse(null);
      }
      try {
        if (gp != null && gp.get("/health").statusCode() == 200) {
          return gp;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.currentTimeMillis() > deadline) {
        starting.kill();
        throw new IllegalStateException("gateway did not start:\n" + starting.output());
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

  /** The port the gateway listens on. */
  public int port() {
    return port;
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
