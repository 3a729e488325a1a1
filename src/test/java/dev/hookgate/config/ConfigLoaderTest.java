package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ConfigLoaderTest {
  private static final String TOKEN = "xdt3bq8kyjgbxfyhsnd4c1nqwe";

  private static JsonObject defaultConfigFile() throws IOException {
    try (Reader reader = Files.newBufferedReader(Path.of(ConfigLoader.DEFAULT_PATH), StandardCharsets.UTF_8)) {
      Map<String, Object> map = new Yaml().load(reader);
      return new JsonObject(map);
    }
  }

  private static List<String> problems(JsonObject raw, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.resolve(raw, env)).problems();
  }

  @Test
  void placeholderIsReplacedFromTheEnvironment() {
    JsonObject raw = new JsonObject("{\"admin\":{\"token\":\"${ADMIN_TOKEN}\"}}");
    GatewayConfig c = ConfigLoader.resolve(raw, Map.of("ADMIN_TOKEN", TOKEN));
    assertEquals(Optional.of(TOKEN), c.admin().token());
  }

  @Test
  void placeholderDefaultIsUsedWhenTheVariableIsUnset() {
    JsonObject raw = new JsonObject("{\"http\":{\"host\":\"${BIND:-127.0.0.1}\",\"port\":\"${PORT:-8181}\"}}");
    GatewayConfig c = ConfigLoader.resolve(raw, Map.of());
    assertEquals("127.0.0.1", c.http().host());
    assertEquals(8181, c.http().port());
    assertEquals("0.0.0.0", ConfigLoader.resolve(raw, Map.of("BIND", "0.0.0.0")).http().host());
  }

  @Test
  void emptyDefaultGivesAnEmptyValue() {
    JsonObject raw = new JsonObject("{\"admin\":{\"token\":\"${HOOKGATE_ADMIN_TOKEN:-}\"}}");
    assertEquals(Optional.empty(), ConfigLoader.resolve(raw, Map.of()).admin().token());
  }

  @Test
  void placeholdersMayBeEmbeddedAndRepeated() {
    JsonObject raw = new JsonObject("{\"destinations\":{\"ops\":{\"url\":\"https://${HOST}/hooks/${ID:-abc}\"}}}");
    GatewayConfig c = ConfigLoader.resolve(raw, Map.of("HOST", "team.example.org"));
    assertEquals("https://team.example.org/hooks/abc", c.destinations().get("ops").url());
  }

  @Test
  void substitutedValueIsTakenLiterally() {
    JsonObject raw = new JsonObject("{\"admin\":{\"token\":\"${ADMIN_TOKEN}\"}}");
    String odd = "a$1\\b${NOT_A_VAR}-0123456789";
    assertEquals(Optional.of(odd), ConfigLoader.resolve(raw, Map.of("ADMIN_TOKEN", odd)).admin().token());
  }

  @Test
  void placeholdersInsideListsAreReplaced() {
    JsonObject raw = new JsonObject("{\"response-url\":{\"allowed-hosts\":[\"${CHAT_HOST}\",\"http://localhost:8065\"]}}");
    GatewayConfig c = ConfigLoader.resolve(raw, Map.of("CHAT_HOST", "chat.example.org"));
    assertEquals(List.of(new ResponseUrlConfig.AllowedHost("https", "chat.example.org", -1),
        new ResponseUrlConfig.AllowedHost("http", "localhost", 8065)), c.responseUrl().allowedHosts());
  }

  @Test
  void unsetVariableIsAProblemNamingTheKey() {
    JsonObject raw = new JsonObject("{\"admin\":{\"token\":\"${ADMIN_TOKEN}\"}}");
    assertEquals(List.of("admin.token: environment variable ADMIN_TOKEN is not set"), problems(raw, Map.of()));
  }

  @Test
  void unsetVariableInAListNamesTheIndex() {
    JsonObject raw = new JsonObject("{\"response-url\":{\"allowed-hosts\":[\"a.example.org\",\"${CHAT_HOST}\"]}}");
    assertEquals(List.of("response-url.allowed-hosts[1]: environment variable CHAT_HOST is not set"),
        problems(raw, Map.of()));
  }

  @Test
  void everyUnsetVariableIsReported() {
    JsonObject raw = new JsonObject("""
        {"admin": {"token": "${ADMIN_TOKEN}"},
         "destinations": {"ops": {"url": "https://${HOST}/hooks/${HOOK_ID}"}}}
        """);
    assertEquals(List.of("admin.token: environment variable ADMIN_TOKEN is not set",
        "destinations.ops.url: environment variable HOST is not set",
        "destinations.ops.url: environment variable HOOK_ID is not set"), problems(raw, Map.of()));
  }

  @Test
  void rawConfigIsNotModified() {
    JsonObject raw = new JsonObject("{\"admin\":{\"token\":\"${ADMIN_TOKEN}\"}}");
    ConfigLoader.resolve(raw, Map.of("ADMIN_TOKEN", TOKEN, "HOOKGATE_HTTP_PORT", "9090"));
    assertEquals(new JsonObject("{\"admin\":{\"token\":\"${ADMIN_TOKEN}\"}}"), raw);
  }

  @Test
  void hookgateHttpPortOverridesTheFile() {
    JsonObject raw = new JsonObject("{\"http\":{\"port\":8080}}");
    assertEquals(9090, ConfigLoader.resolve(raw, Map.of("HOOKGATE_HTTP_PORT", "9090")).http().port());
  }

  @Test
  void knownScalarMayBeSetByTheEnvironmentEvenIfTheFileOmitsIt() {
    GatewayConfig c = ConfigLoader.resolve(new JsonObject(), Map.of("HOOKGATE_HTTP_PORT", "9090",
        "HOOKGATE_DELIVERY_MAX_ATTEMPTS", "3", "HOOKGATE_RESPONSE_URL_MAX_POST_CHARS", "4000",
        "HOOKGATE_STORE_LEASE", "1m"));
    assertEquals(9090, c.http().port());
    assertEquals(3, c.delivery().maxAttempts());
    assertEquals(4000, c.responseUrl().maxPostChars());
    assertEquals(Duration.ofMinutes(1), c.store().lease());
  }

  @Test
  void anyScalarOfTheFileMayBeOverridden() {
    JsonObject raw = ConfigParserTest.valid();
    GatewayConfig c = ConfigLoader.resolve(raw, Map.of(
        "HOOKGATE_DESTINATIONS_OPS_URL", "https://chat.example.org/hooks/yyy",
        "HOOKGATE_COMMANDS_REPORT_JOB_TIMEOUT", "90s"));
    assertEquals("https://chat.example.org/hooks/yyy", c.destinations().get("ops").url());
    assertEquals(Duration.ofSeconds(90), c.commands().get("report").job().timeout());
  }

  @Test
  void overrideWinsOverAPlaceholder() {
    JsonObject raw = new JsonObject("{\"http\":{\"port\":\"${PORT:-8080}\"}}");
    assertEquals(9090, ConfigLoader.resolve(raw, Map.of("PORT", "7070", "HOOKGATE_HTTP_PORT", "9090")).http().port());
  }

  @Test
  void badOverrideIsAProblemNamingTheKey() {
    assertEquals(List.of("http.port: \"nine\" is not a number"),
        problems(new JsonObject(), Map.of("HOOKGATE_HTTP_PORT", "nine")));
  }

  @Test
  void unrelatedEnvironmentIsIgnored() {
    GatewayConfig c = ConfigLoader.resolve(new JsonObject(), Map.of("HOOKGATE_NOPE", "x", "PATH", "/usr/bin"));
    assertEquals(8080, c.http().port());
  }

  @Test
  void choosePathDefaultsToConfHookgateYaml() {
    assertEquals("conf/hookgate.yaml", ConfigLoader.choosePath(Optional.empty()));
    assertEquals("/etc/hookgate.yaml", ConfigLoader.choosePath(Optional.of("/etc/hookgate.yaml")));
  }

  @Test
  void shippedDefaultConfigResolvesWithAnEmptyEnvironment() throws IOException {
    GatewayConfig c = ConfigLoader.resolve(defaultConfigFile(), Map.of());
    assertEquals(new HttpConfig("0.0.0.0", 8080, 1_048_576, 256), c.http());
    assertEquals(Optional.empty(), c.admin().token());
    assertEquals(List.of(new ResponseUrlConfig.AllowedHost("https", "team.example.org", -1)),
        c.responseUrl().allowedHosts());
    assertEquals(new DestinationConfig("ops", "https://team.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx", 1, 3, 16383, 1),
        c.destinations().get("ops"));
    assertEquals(Map.of("echo", "Command received.", "report", "Building the report; it will be posted here."),
        Map.of("echo", c.commands().get("echo").ack(), "report", c.commands().get("report").ack()));
    assertEquals(new JobSpec.Template("## Commande reçue!\nPayload : {{text}}", Duration.ofMinutes(5)),
        c.commands().get("echo").job());
    assertEquals(List.of("conf/scripts/report.sh", "--", "{{text}}"), ((JobSpec.Exec) c.commands().get("report").job()).argv());
    assertEquals(Duration.ofMinutes(10), c.commands().get("report").job().timeout());
    assertEquals(Optional.of("ops"), c.commands().get("report").reply().fallback());
    assertEquals(20, c.commands().get("report").maxQueued());
    assertEquals(new HookConfig("alerts", "change-me-alerts-hook-key", "ops", Duration.ofSeconds(10)),
        c.hooks().get("alerts"));
  }

  @Test
  void shippedDefaultConfigTakesItsSecretsFromTheEnvironment() throws IOException {
    GatewayConfig c = ConfigLoader.resolve(defaultConfigFile(), Map.of(
        "HOOKGATE_ADMIN_TOKEN", "admin-token-0123456789",
        "ECHO_TOKEN", TOKEN,
        "OPS_HOOK_URL", "https://chat.example.org/hooks/abc",
        "HOOKGATE_CHAT_HOST", "http://localhost:8065",
        "HOOKGATE_HTTP_PORT", "9090"));
    assertEquals(Optional.of("admin-token-0123456789"), c.admin().token());
    assertEquals(Optional.of(TOKEN), c.commands().get("echo").token());
    assertEquals("https://chat.example.org/hooks/abc", c.destinations().get("ops").url());
    assertEquals(List.of(new ResponseUrlConfig.AllowedHost("http", "localhost", 8065)), c.responseUrl().allowedHosts());
    assertEquals(9090, c.http().port());
  }

  @Test
  void shippedDefaultConfigRefusesAShortTokenFromTheEnvironment() throws IOException {
    assertEquals(List.of("commands.echo.token: is shorter than 16 characters "
        + "(set security.allow-short-secrets: true to accept it)"),
        problems(defaultConfigFile(), Map.of("ECHO_TOKEN", "short")));
  }
}
