package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make demo} as a newcomer runs it, then the README's "Try it" commands as written (ports
 * moved to free ones): the ack, the delayed echo, progress and the report, a flood coalesced behind
 * the preview's 1 post/s limit, each printed in the terminal and listed by the preview's page.
 */
class DemoIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void makeDemoShowsTheReadmeTryItCommandsOnThePreview() throws Exception {
    int chatPort = GatewayProcess.freePort(); // the gateway's config must name it before it starts
    Path out = dir.resolve("demo.out");
    ProcessBuilder pb = new ProcessBuilder("make", "-s", "-o", "target/hookgate.jar", "demo") // the jar the build just made
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("HOOKGATE_HTTP_PORT", "0");
    pb.environment().put("HOOKGATE_DEMO_CHAT_PORT", String.valueOf(chatPort));
    pb.environment().put("HOOKGATE_STORE_PATH", dir.resolve("demo.db").toString());
    Process make = pb.start();
    try {
      await("the gateway's start line", 60_000, () -> GatewayProcess.listeningPort(read(out)).isPresent());
      await("the preview's start line", 10_000, () -> read(out).contains("[chat] preview of the chat server on"));
      int port = GatewayProcess.listeningPort(read(out)).orElseThrow();

      String script = tryItCommands().replace("127.0.0.1:8080", "127.0.0.1:" + port)
          .replace("127.0.0.1:8065", "127.0.0.1:" + chatPort);
      Process sh = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
      String answers = new String(sh.getInputStream().readAllBytes());
      assertEquals(0, sh.waitFor(), answers);
      assertTrue(answers.contains("\"text\":\"Command received.\""), "the echo's ack: " + answers);
      assertTrue(answers.contains("ok"), "the hook's answer: " + answers);
      assertTrue(answers.contains("Building the report"), "the report's ack: " + answers);

      await("the echo, printed", 20_000, () -> read(out).contains("[chat] #town-square  reports: ## Commande reçue!"));
      await("the seed's hook message, printed", 20_000,
          () -> read(out).contains("[chat] #town-square  webhook: ## Message formaté !!"));
      await("progress then the report", 60_000, () -> read(out).contains("step 1 of 3")
          && read(out).contains("[chat] #town-square  reports: #### Report (weekly) for @alice"));
      await("every flooded line on the preview", 90_000, () -> floodLines(chatPort).size() == 50);

      JsonArray posts = posts(chatPort);
      long floodPosts = posts.stream().map(JsonObject.class::cast).filter(p -> p.getString("channel").equals("floods"))
          .count();
      assertTrue(floodPosts < 50, "the flood was coalesced into fewer posts: " + floodPosts);
      assertTrue(read(out).contains("HTTP 429"), "the preview limited #floods");
      HttpResponse<String> page = get(chatPort, "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("posts?after="), "the page polls for new posts");
    } finally {
      make.descendants().forEach(ProcessHandle::destroy);
      make.destroy();
      make.waitFor();
    }
  }

  /** The first shell block of the README's "Try it" section. */
  static String tryItCommands() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("### Try it");
    int start = readme.indexOf("```sh\n", section) + 6;
    return readme.substring(start, readme.indexOf("```", start));
  }

  private static List<String> floodLines(int chatPort) {
    List<String> lines = new ArrayList<>();
    try {
      posts(chatPort).stream().map(JsonObject.class::cast).filter(p -> p.getString("channel").equals("floods"))
          .forEach(p -> p.getString("text").lines().filter(l -> l.matches("disk \\d+% full")).forEach(lines::add));
    } catch (Exception e) {
      return List.of();
    }
    return lines;
  }

  private static JsonArray posts(int chatPort) throws Exception {
    return new JsonArray(get(chatPort, "/posts?after=0").body());
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String read(Path out) {
    try {
      return Files.readString(out);
    } catch (Exception e) {
      return "";
    }
  }
}
