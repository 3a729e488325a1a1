package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParserTest {
  static final String SECRET = "0123456789abcdef";

  /** A small valid config: one destination, one command falling back to it, one hook posting to it. */
  static JsonObject valid() {
    return new JsonObject("""
        {
          "destinations": {"ops": {"url": "https://team.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx"}},
          "commands": {
            "report": {
              "token": "xdt3bq8kyjgbxfyhsnd4c1nqwe",
              "job": {"template": "done: {{text}}", "timeout": "10s"},
              "reply": {"fallback": "ops"}
            }
          },
          "hooks": {"alerts": {"key": "alerts-hook-key-0123", "destination": "ops"}}
        }
        """);
  }

  static List<String> problems(JsonObject raw) {
    return assertThrows(ConfigException.class, () -> ConfigParser.parse(raw)).problems();
  }

  @Test
  void emptyConfigGetsEveryDefault() {
    GatewayConfig c = ConfigParser.parse(new JsonObject());
    assertEquals(new HttpConfig("0.0.0.0", 8080, 1_048_576, 256), c.http());
    assertEquals(new StoreConfig("sqlite", "data/hookgate.db", Duration.ofSeconds(30)), c.store());
    assertEquals(Optional.empty(), c.admin().token());
    assertEquals(List.of(), c.responseUrl().allowedHosts());
    assertEquals(16383, c.responseUrl().maxPostChars());
    assertEquals(new JobsConfig(4, 8), c.jobs());
    assertEquals(new DeliveryConfig(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
        Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30)), 20, Duration.ofHours(24),
        Duration.ofSeconds(10), Duration.ofSeconds(3)), c.delivery());
    assertEquals(Map.of(), c.destinations());
    assertEquals(Map.of(), c.commands());
    assertEquals(Map.of(), c.hooks());
  }

  @Test
  void validConfigIsReadWithDefaultsFilledIn() {
    GatewayConfig c = ConfigParser.parse(valid());
    assertEquals(new DestinationConfig("ops", "https://team.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx", 10, 20,
        16383, 1, true, false, DestinationConfig.ChatKind.MATTERMOST), c.destinations().get("ops"));
    CommandConfig report = c.commands().get("report");
    assertEquals(Optional.of("xdt3bq8kyjgbxfyhsnd4c1nqwe"), report.token());
    assertEquals("Working on it…", report.ack());
    assertEquals(new JobSpec.Template("done: {{text}}", Duration.ofSeconds(10)), report.job());
    assertEquals(new ReplySpec("in_channel", Optional.empty(), Optional.of("ops"), Optional.empty(), Optional.empty()),
        report.reply());
    assertEquals(2, report.concurrency());
    assertEquals(100, report.maxQueued());
    assertTrue(report.rerunAfterCrash());
    assertEquals(new HookConfig("alerts", "alerts-hook-key-0123", "ops", Duration.ZERO), c.hooks().get("alerts"));
  }

  @Test
  void badDurationNamesTheKeyAndShowsExamples() {
    JsonObject raw = valid();
    raw.getJsonObject("commands").getJsonObject("report").getJsonObject("job").put("timeout", "ten");
    assertEquals(List.of("commands.report.job.timeout: \"ten\" is not a duration (e.g. 500ms, 10s, 5m, 1h)"),
        problems(raw));
  }

  @Test
  void negativeDurationIsAProblem() {
    assertEquals(List.of("store.lease: \"PT-5S\" must not be negative"),
        problems(new JsonObject("{\"store\":{\"lease\":\"PT-5S\"}}")));
  }

  @Test
  void negativeBackoffStepIsAProblem() {
    // a negative step would become a 1 ms retry loop against the chat server
    assertEquals(List.of("delivery.backoff[1]: \"PT-5S\" must not be negative"),
        problems(new JsonObject("{\"delivery\":{\"backoff\":[\"1s\",\"PT-5S\"]}}")));
  }

  @Test
  void badBackoffStepNamesItsIndex() {
    assertEquals(List.of("delivery.backoff[1]: \"soon\" is not a duration"),
        problems(new JsonObject("{\"delivery\":{\"backoff\":[\"1s\",\"soon\"]}}")));
  }

  @Test
  void backoffListIsRead() {
    GatewayConfig c = ConfigParser.parse(new JsonObject("{\"delivery\":{\"backoff\":[\"500ms\",\"2s\"]}}"));
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(2)), c.delivery().backoff());
  }

  @Test
  void unknownTopLevelKeyListsTheKnownOnes() {
    JsonObject raw = valid().put("htp", new JsonObject());
    assertEquals(List.of("htp: unknown key (expected one of admin, commands, delivery, destinations, hooks, http, "
        + "jobs, log, response-url, schedules, security, shutdown, store)"), problems(raw));
  }

  @Test
  void unknownNestedKeyIsNamedWithItsPath() {
    assertEquals(List.of("http.prot: unknown key (expected one of host, idle-timeout, max-body-bytes, "
        + "max-form-fields, max-header-bytes, port, request-timeout, tls)"),
        problems(new JsonObject("{\"http\":{\"prot\":8080}}")));
  }

  @Test
  void unknownKeyInAJobIsNamedWithItsPath() {
    JsonObject raw = valid();
    raw.getJsonObject("commands").getJsonObject("report").getJsonObject("job").put("shell", "sh");
    assertEquals(List.of("commands.report.job.shell: unknown key (expected one of env, exec, http, max-output-bytes, "
        + "template, timeout, workdir)"), problems(raw));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "commands.report.token | {\"commands\":{\"report\":{\"token\":\"short\",\"job\":{\"template\":\"x\"}}}}",
      "hooks.alerts.key      | {\"destinations\":{\"ops\":{\"url\":\"https://x\"}},\"hooks\":{\"alerts\":{\"key\":\"short\",\"destination\":\"ops\"}}}",
      "admin.token           | {\"admin\":{\"token\":\"fifteen-chars-x\"}}",
  })
  void secretShorterThanSixteenCharactersIsRefused(String key, String json) {
    assertEquals(List.of(key + ": is shorter than 16 characters (set security.allow-short-secrets: true to accept it)"),
        problems(new JsonObject(json)));
  }

  @Test
  void sixteenCharacterSecretIsAccepted() {
    assertEquals(16, SECRET.length());
    GatewayConfig c = ConfigParser.parse(new JsonObject().put("admin", new JsonObject().put("token", SECRET)));
    assertEquals(Optional.of(SECRET), c.admin().token());
  }

  @ParameterizedTest(name = "allow-short-secrets: {0}")
  @CsvSource({"true", "yes", "on", "TRUE"})
  void shortSecretsAreAcceptedWhenAllowed(String allow) {
    JsonObject raw = new JsonObject("""
        {"security": {"allow-short-secrets": "%s"},
         "admin": {"token": "adm"},
         "commands": {"echo": {"token": "tok", "job": {"template": "x"}}}}
        """.formatted(allow));
    GatewayConfig c = ConfigParser.parse(raw);
    assertEquals(Optional.of("adm"), c.admin().token());
    assertEquals(Optional.of("tok"), c.commands().get("echo").token());
  }

  @Test
  void allowShortSecretsMayBeAJsonBoolean() {
    JsonObject raw = new JsonObject("{\"security\":{\"allow-short-secrets\":true},\"admin\":{\"token\":\"adm\"}}");
    assertEquals(Optional.of("adm"), ConfigParser.parse(raw).admin().token());
  }

  @Test
  void fallbackNamingAMissingDestinationIsAProblem() {
    JsonObject raw = valid();
    raw.getJsonObject("commands").getJsonObject("report").getJsonObject("reply").put("fallback", "nowhere");
    assertEquals(List.of("commands.report.reply.fallback: \"nowhere\" is not a destination"), problems(raw));
  }

  @Test
  void hookDestinationThatIsUnknownIsAProblem() {
    JsonObject raw = valid();
    raw.getJsonObject("hooks").getJsonObject("alerts").put("destination", "nowhere");
    assertEquals(List.of("hooks.alerts.destination: \"nowhere\" is not a destination"), problems(raw));
  }

  @Test
  void hookWithoutKeyOrDestinationIsAProblem() {
    assertEquals(List.of("hooks.alerts.key: is required", "hooks.alerts.destination: is required"),
        problems(new JsonObject("{\"hooks\":{\"alerts\":{}}}")));
  }

  @Test
  void hookKeyWithUrlUnsafeCharactersIsAProblem() {
    JsonObject raw = valid();
    raw.getJsonObject("hooks").getJsonObject("alerts").put("key", "alerts/hook?key=0123");
    assertEquals(List.of("hooks.alerts.key: must use only letters, digits, '-' and '_'"), problems(raw));
  }

  @Test
  void twoHooksWithTheSameKeyIsAProblem() {
    JsonObject raw = valid();
    raw.getJsonObject("hooks").put("again", new JsonObject().put("key", "alerts-hook-key-0123").put("destination", "ops"));
    assertEquals(List.of("hooks.again.key: is the same as another hook's key"), problems(raw));
  }

  @Test
  void commandWithoutTokenIsAProblem() {
    JsonObject raw = valid();
    raw.getJsonObject("commands").getJsonObject("report").remove("token");
    assertEquals(List.of("commands.report.token: is required (the token the chat server generated for this command), "
        + "unless slack-signing-secret is set"),
        problems(raw));
  }

  @Test
  void jobMustHaveExactlyOneKind() {
    JsonObject raw = valid();
    raw.getJsonObject("commands").getJsonObject("report").getJsonObject("job").put("exec", "true");
    assertEquals(List.of("commands.report.job: must set exactly one of template, exec, http"), problems(raw));
  }

  @Test
  void execAndHttpJobsAreRead() {
    JsonObject raw = new JsonObject("""
        {"commands": {
          "report": {"token": "xdt3bq8kyjgbxfyhsnd4c1nqwe",
                     "job": {"exec": ["conf/scripts/report.sh", "{{text}}"], "timeout": "10m", "env": {"A": "1"}}},
          "fetch": {"token": "xdt3bq8kyjgbxfyhsnd4c1nqwe",
                    "job": {"http": {"method": "post", "url": "https://api.example.org/x", "headers": {"X-A": "b"}}}}
        }}
        """);
    GatewayConfig c = ConfigParser.parse(raw);
    assertEquals(new JobSpec.Exec(List.of("conf/scripts/report.sh", "{{text}}"), ".", Map.of("A", "1"),
        Duration.ofMinutes(10), 1_048_576), c.commands().get("report").job());
    assertEquals(new JobSpec.Http("POST", "https://api.example.org/x", Map.of("X-A", "b"), "", Duration.ofMinutes(5)),
        c.commands().get("fetch").job());
  }

  @Test
  void badResponseTypeIsAProblem() {
    JsonObject raw = valid();
    raw.getJsonObject("commands").getJsonObject("report").getJsonObject("reply").put("response-type", "loud");
    assertEquals(List.of("commands.report.reply.response-type: \"loud\" must be in_channel or ephemeral"), problems(raw));
  }

  @Test
  void maxQueuedOfZeroIsAProblem() {
    // every job waits in the queue before a worker claims it: with no room, the command could never run
    JsonObject raw = valid();
    raw.getJsonObject("commands").getJsonObject("report").put("max-queued", 0);
    assertEquals(List.of("commands.report.max-queued: \"0\" is out of range (1 to 1000000)"), problems(raw));
  }

  @Test
  void destinationCoalesceIsOnByDefaultAndCanBeTurnedOff() {
    assertTrue(ConfigParser.parse(new JsonObject("{\"destinations\":{\"ops\":{\"url\":\"https://x/h\"}}}"))
        .destinations().get("ops").coalesce());
    assertEquals(false, ConfigParser.parse(new JsonObject(
        "{\"destinations\":{\"ops\":{\"url\":\"https://x/h\",\"coalesce\":false}}}")).destinations().get("ops").coalesce());
    assertEquals(List.of("destinations.ops.coalesce: \"often\" is not true or false"), problems(new JsonObject(
        "{\"destinations\":{\"ops\":{\"url\":\"https://x/h\",\"coalesce\":\"often\"}}}")));
  }

  @Test
  void destinationUrlMustBeHttp() {
    assertEquals(List.of("destinations.ops.url: must start with http:// or https://"),
        problems(new JsonObject("{\"destinations\":{\"ops\":{\"url\":\"ftp://x\"}}}")));
    assertEquals(List.of("destinations.ops.url: is required"),
        problems(new JsonObject("{\"destinations\":{\"ops\":{}}}")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"http\":{\"port\":70000}}             | http.port: \"70000\" is out of range (0 to 65535)",
      "{\"http\":{\"port\":\"eighty\"}}        | http.port: \"eighty\" is not a number",
      "{\"store\":{\"kind\":\"mongo\"}}        | store.kind: \"mongo\" is not supported (sqlite, postgres)",
      "{\"http\":[]}                           | http: must be a mapping",
      "{\"http\":{\"host\":{}}}                | http.host: must be a text value",
      "{\"security\":{\"allow-short-secrets\":\"maybe\"}} | security.allow-short-secrets: \"maybe\" is not true or false",
      "{\"response-url\":{\"allowed-hosts\":[\"ftp://x\"]}} | response-url.allowed-hosts[0]: \"ftp://x\": scheme must be http or https",
  })
  void scalarProblemsNameTheirKey(String json, String problem) {
    assertEquals(List.of(problem), problems(new JsonObject(json)));
  }

  @Test
  void severalProblemsAreReportedTogetherInFileOrder() {
    JsonObject raw = valid();
    raw.put("http", new JsonObject().put("port", "eighty"));
    raw.getJsonObject("commands").getJsonObject("report").put("token", "short");
    raw.getJsonObject("commands").getJsonObject("report").getJsonObject("job").put("timeout", "ten");
    raw.getJsonObject("hooks").getJsonObject("alerts").put("destination", "nowhere");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(raw));
    assertEquals(List.of(
        "commands.report.token: is shorter than 16 characters (set security.allow-short-secrets: true to accept it)",
        "commands.report.job.timeout: \"ten\" is not a duration (e.g. 500ms, 10s, 5m, 1h)",
        "hooks.alerts.destination: \"nowhere\" is not a destination",
        "http.port: \"eighty\" is not a number"), e.problems());
    assertEquals(String.join("\n", e.problems()), e.getMessage());
  }

  @Test
  void allowedHostsMayBeASingleScalar() {
    GatewayConfig c = ConfigParser.parse(new JsonObject("{\"response-url\":{\"allowed-hosts\":\"team.example.org\"}}"));
    assertEquals(List.of(new ResponseUrlConfig.AllowedHost("https", "team.example.org", -1)),
        c.responseUrl().allowedHosts());
  }

  @Test
  void commandJobIsAlwaysATemplateExecOrHttp() {
    assertInstanceOf(JobSpec.Template.class, ConfigParser.parse(valid()).commands().get("report").job());
  }
}
