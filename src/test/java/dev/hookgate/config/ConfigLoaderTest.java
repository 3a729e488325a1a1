package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void aHookgateVariableThatNamesNoKeyIsAProblemSayingSo() {
    assertEquals(List.of("HOOKGATE_NOPE: names no config key (HOOKGATE_<KEY>: the key in upper case, '.' and '-' "
        + "as '_', e.g. HOOKGATE_HTTP_PORT for http.port)"),
        problems(new JsonObject(), Map.of("HOOKGATE_NOPE", "x", "PATH", "/usr/bin")));
  }

  @Test
  void otherVariablesAndTheFilesOwnPlaceholdersAreNotOverrides() {
    JsonObject raw = new JsonObject("{\"response-url\":{\"allowed-hosts\":[\"${HOOKGATE_CHAT_HOST:-a.example.org}\"]}}");
    GatewayConfig c = ConfigLoader.resolve(raw, Map.of("HOOKGATE_CHAT_HOST", "chat.example.org",
        "HOOKGATE_LOG_LEVEL", "DEBUG", "PATH", "/usr/bin", "NOPE", "x"));
    assertEquals("chat.example.org", c.responseUrl().allowedHosts().get(0).host());
  }

  @Test
  void keysAbsentFromTheFileAreOverriddenToo() throws IOException {
    Path dir = Files.createTempDirectory("tls");
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
    GatewayConfig c = ConfigLoader.resolve(ConfigParserTest.valid(), Map.of(
        "HOOKGATE_SECURITY_AUTH_FAILURES_PER_MINUTE", "0",
        "HOOKGATE_HTTP_TLS_CERT", cert.toString(), "HOOKGATE_HTTP_TLS_KEY", key.toString(),
        "HOOKGATE_RESPONSE_URL_ALLOWED_HOSTS", "chat.example.org, http://127.0.0.1:8065",
        "HOOKGATE_DELIVERY_BACKOFF", "2s,1m",
        "HOOKGATE_DESTINATIONS_OPS_MAX_IN_FLIGHT", "3",
        "HOOKGATE_COMMANDS_REPORT_REPLY_USERNAME", "reports"));
    assertEquals(0, c.http().authFailuresPerMinute());
    assertEquals(Optional.of(new HttpConfig.Tls(cert.toString(), key.toString())), c.http().tls());
    assertEquals(List.of(new ResponseUrlConfig.AllowedHost("https", "chat.example.org", -1),
        new ResponseUrlConfig.AllowedHost("http", "127.0.0.1", 8065)), c.responseUrl().allowedHosts());
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofMinutes(1)), c.delivery().backoff());
    assertEquals(3, c.destinations().get("ops").maxInFlight());
    assertEquals(Optional.of("reports"), c.commands().get("report").reply().username());
  }

  @Test
  void everyKeyTheParserReadsCanBeOverridden() {
    JsonObject raw = ConfigParserTest.valid();
    raw.put("schedules", new JsonObject("{\"daily\":{\"cron\":\"0 9 * * *\",\"destination\":\"ops\","
        + "\"job\":{\"template\":\"x\"}}}"));
    java.util.Set<String> keys = ConfigParser.keysRead(raw);
    for (String key : List.of("http.port", "hooks.alerts.channel", "hooks.alerts.allow-overrides",
        "destinations.ops.coalesce", "commands.report.team-id[]", "schedules.daily.reply.username")) {
      assertTrue(keys.contains(key), key + " in " + keys);
    }
    for (String key : keys) {
      String var = ConfigLoader.variable(key.replace("[]", ""));
      List<String> problems;
      try {
        ConfigLoader.resolve(raw, Map.of(var, "1"));
        problems = List.of();
      } catch (ConfigException e) {
        problems = e.problems();
      }
      problems.forEach(p -> org.junit.jupiter.api.Assertions.assertFalse(
          p.contains("unknown key") || p.contains("names no config key"), var + ": " + p));
    }
  }

  /** Keys the reference's second copy of the schema had missed: the start stopped on them (exit 3). */
  @Test
  void hookChannelAndDestinationCoalesceAreOverridden() {
    GatewayConfig c = ConfigLoader.resolve(ConfigParserTest.valid(), Map.of(
        "HOOKGATE_HOOKS_ALERTS_CHANNEL", "town-square", "HOOKGATE_DESTINATIONS_OPS_COALESCE", "false"));
    assertEquals(Optional.of("town-square"), c.hooks().get("alerts").channel());
    assertFalse(c.destinations().get("ops").coalesce());
  }

  @Test
  void anOverrideBringsTheKeysItEnables() {
    GatewayConfig c = ConfigLoader.resolve(ConfigParserTest.valid(), Map.of("HOOKGATE_STORE_KIND", "postgres",
        "HOOKGATE_STORE_POSTGRES_URI", "postgresql://hookgate@127.0.0.1:5432/hookgate"));
    assertEquals("postgres", c.store().kind());
  }

  @Test
  void readGivesTheFileWholeAndRefusesWhatIsNotAConfig() throws IOException {
    Path dir = Files.createTempDirectory("read");
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
    assertEquals(new JsonObject(), ConfigLoader.read(empty.toString()));
    Path yaml = Files.writeString(dir.resolve("ok.yaml"), "http: {port: 9090}\nlog: {format: json}\n");
    assertEquals(new JsonObject("{\"http\":{\"port\":9090},\"log\":{\"format\":\"json\"}}"),
        ConfigLoader.read(yaml.toString()));
    Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
    assertEquals(List.of("config file " + list + ": must be a YAML mapping (http:, store:, commands:, ...)"),
        assertThrows(ConfigException.class, () -> ConfigLoader.read(list.toString())).problems());
    Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
    assertEquals(List.of("config file " + latin1 + ": is not valid UTF-8"),
        assertThrows(ConfigException.class, () -> ConfigLoader.read(latin1.toString())).problems());
    Path twice = Files.writeString(dir.resolve("twice.yaml"), "http: {port: 1}\nhttp: {port: 2}\n");
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.read(twice.toString())).problems().get(0)
        .contains("is not valid YAML"));
    assertEquals(List.of("config file " + dir.resolve("none.yaml") + ": not found"),
        assertThrows(ConfigException.class, () -> ConfigLoader.read(dir.resolve("none.yaml").toString())).problems());
  }

  @Test
  void choosePathDefaultsToConfHookgateYaml() {
    assertEquals("conf/hookgate.yaml", ConfigLoader.choosePath(Optional.empty()));
    assertEquals("/etc/hookgate.yaml", ConfigLoader.choosePath(Optional.of("/etc/hookgate.yaml")));
  }

  @Test
  void shippedDefaultConfigResolvesWithAnEmptyEnvironment() throws IOException {
    GatewayConfig c = ConfigLoader.resolve(defaultConfigFile(), Map.of());
    assertEquals(new HttpConfig("127.0.0.1", 8080, 1_048_576, 256), c.http());
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
    assertEquals(new HookConfig("alerts", "change-me-alerts-hook-key", "ops", Duration.ZERO),
        c.hooks().get("alerts"));
  }

  @Test
  void shippedDefaultConfigDeliversAlertsWithoutAHold() throws IOException {
    GatewayConfig c = ConfigLoader.resolve(defaultConfigFile(), Map.of());
    assertEquals(Duration.ZERO, c.hooks().get("alerts").coalesce(), "no coalescing window on the alerts hook");
    assertEquals(true, c.destinations().get("ops").coalesce(), "a backlog is still merged into few posts");
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
