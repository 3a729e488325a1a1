package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholderSecretsTest {
  static final String SECRETS = """
      admin: {token: change-me-admin-token-0000}
      destinations: {ops: {url: "https://team.example.org/hooks/x"}}
      commands:
        echo: {token: Change-Me-echo-token-0000, job: {template: x}}
        slack: {slack-signing-secret: change-me-signing-secret-00, job: {template: x}}
      hooks: {alerts: {key: change-me-alerts-hook-key, destination: ops}}
      """;

  static List<String> problems(String host) {
    try {
      ConfigParser.parse(new JsonObject(new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(
          SECRETS + "http: {host: \"" + host + "\"}\n")));
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  @Test
  void exampleSecretsAreRefusedBeyondLoopbackNamingEachKeyNeverTheValue() {
    for (String host : List.of("0.0.0.0", "192.168.1.10", "::", "hookgate.example.org")) {
      List<String> problems = problems(host);
      assertEquals(4, problems.size(), host + ": " + problems);
      for (String key : List.of("admin.token", "commands.echo.token", "commands.slack.slack-signing-secret",
          "hooks.alerts.key")) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(key + ": is a published example secret")), key);
      }
      assertFalse(problems.toString().toLowerCase().contains("change-me-"), problems.toString());
    }
  }

  @Test
  void exampleSecretsAreAcceptedOnLoopback() {
    for (String host : List.of("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost")) {
      assertEquals(List.of(), problems(host), host);
    }
  }
}
