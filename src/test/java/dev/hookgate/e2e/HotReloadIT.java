package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing the config file of the running fat jar adds a command; a broken edit is refused. */
class HotReloadIT {
  static final String TOKEN = "reloadtoken0123456789abc";

  @TempDir Path dir;

  @Test
  void addedCommandAnswersAndBrokenEditIsRefused() throws Exception {
    Path config = dir.resolve("hookgate.yaml");
    Files.writeString(config, config("one"));
    try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
      assertEquals(200, gw.postForm("/commands/one", form()).statusCode());
      assertEquals(404, gw.postForm("/commands/two", form()).statusCode());

      Files.writeString(config, config("one", "two"));
      await("command two after the edit", 10_000, () -> status(gw, "/commands/two") == 200);

      Files.writeString(config, config("one", "two").replace("timeout: 5s", "timeout: ten"));
      // one line naming every problem
      await("the refusal in the log", 10_000, () -> output(gw).contains(
          "config reload refused (file changed), the running config stays: commands.one.job.timeout: \"ten\" is not a "
          + "duration (e.g. 500ms, 10s, 5m, 1h); commands.two.job.timeout: \"ten\" is not a duration"));
      assertEquals(200, gw.postForm("/commands/two", form()).statusCode());

      Files.writeString(config, config("one", "two", "three"));
      Files.setLastModifiedTime(config, Files.getLastModifiedTime(config)); // the scan may also see it
      new ProcessBuilder("kill", "-HUP", String.valueOf(gw.process().pid())).start().waitFor();
      await("command three after SIGHUP", 10_000, () -> status(gw, "/commands/three") == 200);
    }
  }

  @Test
  void emptiedFileIsRefusedAndTheGatewayKeepsServing() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      Path config = dir.resolve("hookgate.yaml");
      String yaml = config("one") + "security: {auth-failures-per-minute: 3}\n"
          + "destinations:\n  ops: {url: \"" + chat.incomingHookUrl("opsid") + "\", rate-per-second: 100, burst: 100}\n"
          + "hooks:\n  alerts: {key: " + KEY + ", destination: ops}\n";
      Files.writeString(config, yaml);
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        assertEquals(0, new ProcessBuilder("sh", "-c", ": > hookgate.yaml").directory(dir.toFile()).start().waitFor());
        await("the refusal in the log", 10_000, () -> output(gw).contains("config reload refused (file changed), "
            + "the running config stays: the file defines no command, hook, destination or schedule"));
        for (int i = 0; i < 10; i++) { // more than the 3 failures a minute: none of these counts as one
          assertEquals(200, gw.postForm("/commands/one", form()).statusCode(), "command " + i);
          assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"during " + i + "\"}").statusCode(), "hook " + i);
        }
        await("every post delivered", 15_000, () -> RelayE2ETest.lines(chat).size() == 10);

        Files.writeString(config, yaml.replace("one", "two"));
        await("the restored file is applied", 10_000, () -> status(gw, "/commands/two") == 200);
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"after\"}").statusCode());
      }
    }
  }

  static final String KEY = "reloadhookkey0123456789a";

  @Test
  void editedAdminTokenAndDestinationUrlApplyAtOnce() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      Path config = dir.resolve("hookgate.yaml");
      // the polls with the new token fail until the reload applies: with the auth-failure throttle on,
      // the old token could then be answered 429 instead of 401, depending on how many polls it took
      String yaml = config("one") + "security: {auth-failures-per-minute: 0}\n"
          + "admin: {token: first-admin-token-0123456789}\n"
          + "destinations:\n  ops: {url: \"" + chat.incomingHookUrl("before") + "\"}\n"
          + "hooks:\n  alerts: {key: " + KEY + ", destination: ops}\n";
      Files.writeString(config, yaml);
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"one\"}").statusCode());
        await("the first post", 10_000, () -> chat.postsTo("/hooks/before").size() == 1);

        Files.writeString(config, yaml.replace("first-admin-token", "other-admin-token")
            .replace("/hooks/before", "/hooks/after"));
        await("the new admin token", 10_000, () -> admin(gw, "other-admin-token-0123456789") == 200);
        assertEquals(401, admin(gw, "first-admin-token-0123456789"));
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"two\"}").statusCode());
        await("the post at the new URL", 10_000, () -> chat.postsTo("/hooks/after").size() == 1);
        assertEquals(1, chat.postsTo("/hooks/before").size());
      }
    }
  }

  static int admin(GatewayProcess gw, String token) {
    try {
      return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + gw.port() + "/api/queues")).header("Authorization", "Bearer " + token)
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static String config(String... commands) {
    StringBuilder sb = new StringBuilder("store: {path: data/hookgate.db}\n"
        + "response-url: {allowed-hosts: [\"http://127.0.0.1\"]}\ncommands:\n");
    for (String c : commands) {
      sb.append("  ").append(c).append(": {token: ").append(TOKEN)
          .append(", job: {template: \"hi\", timeout: 5s}}\n");
    }
    return sb.toString();
  }

  static String form() {
    return "token=" + TOKEN + "&text=x&user_id=u&channel_id=c&response_url="
        + URLEncoder.encode("http://127.0.0.1:9/hooks/commands/abc", StandardCharsets.UTF_8);
  }

  static int status(GatewayProcess gw, String path) {
    try {
      return gw.postForm(path, form()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static String output(GatewayProcess gw) {
    try {
      return gw.output();
    } catch (Exception e) {
      return "";
    }
  }
}
