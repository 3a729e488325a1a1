package dev.hookgate.config;

import dev.hookgate.outbound.OutboundClient;
import dev.hookgate.protocol.CommandReply;
import dev.hookgate.protocol.PostSplitter;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the raw config tree into validated records, or a {@link ConfigException} listing every problem. */
public final class ConfigParser {
  /** Secrets shorter than this are refused unless {@code security.allow-short-secrets} is true. */
  public static final int MIN_SECRET_LENGTH = 16;

  private final List<String> problems = new ArrayList<>();

  private ConfigParser() {}

  public static GatewayConfig parse(JsonObject raw) {
    ConfigParser parser = new ConfigParser();
    GatewayConfig config = parser.gateway(new ConfigNode(raw, "", parser.problems));
    parser.problems.addAll(PlaceholderSecrets.problems(config));
    parser.problems.addAll(TemplateCheck.problems(config));
    if (!parser.problems.isEmpty()) {
      throw new ConfigException(parser.problems);
    }
    return config;
  }

  /**
   * The schema as the parser reads it: every scalar key ({@code name[]}: a list) the parser reads from
   * {@code raw}, present or not, entries of named sections (a destination, a command...) under their
   * names. Whatever {@code raw}'s problems.
   */
  static java.util.Set<String> keysRead(JsonObject raw) {
    ConfigParser parser = new ConfigParser();
    java.util.Set<String> read = new java.util.LinkedHashSet<>();
    try {
      parser.gateway(new ConfigNode(raw, "", parser.problems, read));
    } catch (RuntimeException e) {
      // a value the parser could not take: the keys read until then are still keys
    }
    return read;
  }

  private GatewayConfig gateway(ConfigNode root) {
    root.rejectUnknown(Set.of("http", "store", "admin", "response-url", "jobs", "delivery", "shutdown",
        "destinations", "commands", "hooks", "schedules", "security", "log"));
    root.section("security").rejectUnknown(Set.of("allow-short-secrets", "auth-failures-per-minute"));
    boolean allowShortSecrets = root.section("security").bool("allow-short-secrets", false);
    Map<String, DestinationConfig> destinations = new LinkedHashMap<>();
    root.children("destinations").forEach((name, n) -> destinations.put(name, destination(name, n)));
    Map<String, CommandConfig> commands = new LinkedHashMap<>();
    root.children("commands").forEach((name, n) -> commands.put(name, command(name, n, destinations, allowShortSecrets)));
    Map<String, HookConfig> hooks = new LinkedHashMap<>();
    root.children("hooks").forEach((name, n) -> hooks.put(name, hook(name, n, destinations, allowShortSecrets)));
    checkUniqueHookKeys(root, hooks);
    Map<String, ScheduleConfig> schedules = new LinkedHashMap<>();
    root.children("schedules").forEach((name, n) -> schedules.put(name, schedule(name, n, destinations)));
    return new GatewayConfig(http(root.section("http"), root.section("security")), store(root.section("store")),
        admin(root.section("admin"), allowShortSecrets), responseUrl(root.section("response-url")),
        jobs(root.section("jobs")), delivery(root.section("delivery")), shutdown(root.section("shutdown")),
        destinations, commands, hooks, schedules, log(root.section("log")));
  }

  private HttpConfig http(ConfigNode n, ConfigNode security) {
    n.rejectUnknown(Set.of("host", "port", "max-body-bytes", "max-form-fields", "max-header-bytes",
        "idle-timeout", "request-timeout", "tls"));
    Duration idle = n.duration("idle-timeout", HttpConfig.DEFAULT_IDLE_TIMEOUT);
    if (idle.toMillis() < 100) {
      n.problem("idle-timeout", "must be at least 100ms");
      idle = HttpConfig.DEFAULT_IDLE_TIMEOUT;
    }
    Duration request = n.duration("request-timeout", HttpConfig.DEFAULT_REQUEST_TIMEOUT);
    if (request.toMillis() < 100) {
      n.problem("request-timeout", "must be at least 100ms");
      request = HttpConfig.DEFAULT_REQUEST_TIMEOUT;
    }
    return new HttpConfig(n.string("host", "0.0.0.0"), n.integer("port", 8080, 0, 65535),
        n.integer("max-body-bytes", 1_048_576, 1024, 64 * 1_048_576),
        n.integer("max-form-fields", 256, 16, 100_000),
        n.integer("max-header-bytes", HttpConfig.DEFAULT_MAX_HEADER_BYTES, 1024, 1_048_576),
        idle, request, tls(n.section("tls")),
        security.integer("auth-failures-per-minute", HttpConfig.DEFAULT_AUTH_FAILURES_PER_MINUTE, 0, 1_000_000));
  }

  /** {@code http.tls}: both PEM files or neither; each must be a readable file. */
  private Optional<HttpConfig.Tls> tls(ConfigNode n) {
    n.rejectUnknown(Set.of("cert", "key"));
    Optional<String> cert = n.optString("cert");
    Optional<String> key = n.optString("key");
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty()) {
      n.problem("cert", "is required with tls.key (the PEM certificate chain to serve HTTPS with)");
      return Optional.empty();
    }
    if (key.isEmpty()) {
      n.problem("key", "is required with tls.cert (the PEM private key of the certificate)");
      return Optional.empty();
    }
    boolean ok = pemFile(n, "cert", cert.get()) & pemFile(n, "key", key.get());
    return ok ? Optional.of(new HttpConfig.Tls(cert.get(), key.get())) : Optional.empty();
  }

  private static boolean pemFile(ConfigNode n, String name, String path) {
    java.nio.file.Path p = java.nio.file.Path.of(path);
    if (!java.nio.file.Files.exists(p)) {
      n.problem(name, "file \"" + path + "\" does not exist");
      return false;
    }
    if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
      n.problem(name, "\"" + path + "\" is not a readable file");
      return false;
    }
    try {
      byte[] head = java.nio.file.Files.readAllBytes(p);
      if (!new String(head, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN ")) {
        n.problem(name, "\"" + path + "\" is not a PEM file (no -----BEGIN line)");
        return false;
      }
    } catch (java.io.IOException e) {
      n.problem(name, "\"" + path + "\" cannot be read: " + e.getMessage());
      return false;
    }
    return true;
  }

  private StoreConfig store(ConfigNode n) {
    n.rejectUnknown(Set.of("kind", "path", "lease", "postgres", "sqlite-synchronous", "retention"));
    String synchronous = n.string("sqlite-synchronous", "full");
    if (!synchronous.equals("full") && !synchronous.equals("normal")) {
      n.problem("sqlite-synchronous", "\"" + synchronous + "\" must be full or normal");
    }
    String kind = n.string("kind", "sqlite");
    String uri = null;
    int writers = StoreConfig.DEFAULT_POSTGRES_WRITERS;
    if (kind.equals("postgres")) {
      ConfigNode pg = n.section("postgres");
      pg.rejectUnknown(Set.of("uri", "writers"));
      uri = pg.required("uri");
      writers = pg.integer("writers", StoreConfig.DEFAULT_POSTGRES_WRITERS, 1, 16);
      if (!uri.isEmpty()) {
        try {
          java.net.URI u = new java.net.URI(uri);
          if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
            throw new java.net.URISyntaxException(uri, "not postgresql://");
          }
        } catch (java.net.URISyntaxException e) {
          // not the parser's message: it repeats the URI, password included
          pg.problem("uri", "is not a PostgreSQL URI (postgresql://user:password@host:port/database)");
        }
      }
    } else if (!kind.equals("sqlite")) {
      n.problem("kind", "\"" + kind + "\" is not supported (sqlite, postgres)");
    } else if (n.has("postgres")) {
      n.problem("postgres", "is only read with kind: postgres");
    }
    return new StoreConfig(kind, n.string("path", "data/hookgate.db"),
        n.duration("lease", Duration.ofSeconds(30)), uri, synchronous,
        n.duration("retention", StoreConfig.DEFAULT_RETENTION), writers);
  }

  private AdminConfig admin(ConfigNode n, boolean allowShortSecrets) {
    n.rejectUnknown(Set.of("token"));
    Optional<String> token = n.optString("token");
    token.ifPresent(t -> checkSecret(n, "token", t, allowShortSecrets));
    return new AdminConfig(token);
  }

  private ResponseUrlConfig responseUrl(ConfigNode n) {
    n.rejectUnknown(Set.of("allowed-hosts", "max-post-chars"));
    List<ResponseUrlConfig.AllowedHost> hosts = new ArrayList<>();
    List<String> entries = n.strings("allowed-hosts");
    for (int i = 0; i < entries.size(); i++) {
      try {
        hosts.add(ResponseUrlConfig.AllowedHost.parse(entries.get(i)));
      } catch (IllegalArgumentException e) {
        n.problem("allowed-hosts[" + i + "]", "\"" + entries.get(i) + "\": " + e.getMessage());
      }
    }
    return new ResponseUrlConfig(hosts,
        n.integer("max-post-chars", PostSplitter.MATTERMOST_MAX_POST_CHARS, 100, 1_000_000));
  }

  private JobsConfig jobs(ConfigNode n) {
    n.rejectUnknown(Set.of("worker-instances", "worker-pool-size"));
    return new JobsConfig(n.integer("worker-instances", 4, 1, 256), n.integer("worker-pool-size", 8, 1, 1024));
  }

  private DeliveryConfig delivery(ConfigNode n) {
    n.rejectUnknown(Set.of("backoff", "max-attempts", "max-age", "request-timeout", "connect-timeout",
        "max-connections-per-host"));
    List<Duration> backoff = new ArrayList<>();
    List<String> steps = n.strings("backoff");
    for (int i = 0; i < steps.size(); i++) {
      try {
        Duration step = Durations.parse(steps.get(i));
        if (step.isNegative()) {
          n.problem("backoff[" + i + "]", "\"" + steps.get(i) + "\" must not be negative");
        } else {
          backoff.add(step);
        }
      } catch (RuntimeException e) {
        n.problem("backoff[" + i + "]", "\"" + steps.get(i) + "\" is not a duration");
      }
    }
    if (backoff.isEmpty()) {
      backoff = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
          Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30));
    }
    return new DeliveryConfig(backoff, n.integer("max-attempts", 20, 1, 10_000),
        n.duration("max-age", Duration.ofHours(24)), n.duration("request-timeout", Duration.ofSeconds(10)),
        n.duration("connect-timeout", Duration.ofSeconds(3)),
        n.integer("max-connections-per-host", OutboundClient.DEFAULT_MAX_CONNECTIONS_PER_HOST, 1, 1024));
  }

  private LogConfig log(ConfigNode n) {
    n.rejectUnknown(Set.of("format"));
    String format = n.string("format", "text");
    if (!format.equals("text") && !format.equals("json")) {
      n.problem("format", "\"" + format + "\" must be text or json");
    }
    return new LogConfig(format);
  }

  private ShutdownConfig shutdown(ConfigNode n) {
    n.rejectUnknown(Set.of("grace"));
    return new ShutdownConfig(n.duration("grace", Duration.ofSeconds(30)));
  }

  private DestinationConfig destination(String name, ConfigNode n) {
    n.rejectUnknown(Set.of("url", "rate-per-second", "burst", "max-post-chars", "max-in-flight", "coalesce", "kind"));
    String url = n.required("url");
    if (!url.isEmpty() && !url.startsWith("http://") && !url.startsWith("https://")) {
      n.problem("url", "must start with http:// or https://");
    }
    String kind = n.string("kind", DestinationConfig.ChatKind.ofUrl(url).name().toLowerCase(java.util.Locale.ROOT));
    if (!kind.equals("mattermost") && !kind.equals("slack")) {
      n.problem("kind", "\"" + kind + "\" must be mattermost or slack");
      kind = "mattermost";
    }
    return new DestinationConfig(name, url, n.decimal("rate-per-second", DestinationConfig.DEFAULT_RATE, 0.001, 1_000_000),
        n.integer("burst", 20, 1, 1_000_000),
        n.integer("max-post-chars", PostSplitter.MATTERMOST_MAX_POST_CHARS, 100, 1_000_000),
        n.integer("max-in-flight", 1, 1, 1000),
        n.bool("coalesce", true), n.has("rate-per-second"),
        DestinationConfig.ChatKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)));
  }

  private CommandConfig command(String name, ConfigNode n, Map<String, DestinationConfig> destinations,
      boolean allowShortSecrets) {
    n.rejectUnknown(Set.of("token", "slack-signing-secret", "team-id", "ack", "job", "reply", "concurrency",
        "max-queued", "rerun-after-crash"));
    Optional<String> token = n.optString("token");
    Optional<String> signingSecret = n.optString("slack-signing-secret");
    if (token.isEmpty() && signingSecret.isEmpty()) {
      n.problem("token", "is required (the token the chat server generated for this command), "
          + "unless slack-signing-secret is set");
    }
    token.ifPresent(t -> checkSecret(n, "token", t, allowShortSecrets));
    signingSecret.ifPresent(t -> checkSecret(n, "slack-signing-secret", t, allowShortSecrets));
    ConfigNode r = n.section("reply");
    r.rejectUnknown(Set.of("response-type", "template", "fallback", "username", "icon-url", "attachments", "blocks",
        "props"));
    String responseType = r.string("response-type", CommandReply.IN_CHANNEL);
    if (!responseType.equals(CommandReply.IN_CHANNEL) && !responseType.equals(CommandReply.EPHEMERAL)) {
      r.problem("response-type", "\"" + responseType + "\" must be in_channel or ephemeral");
    }
    Optional<String> fallback = r.optString("fallback");
    fallback.filter(f -> !destinations.containsKey(f))
        .ifPresent(f -> r.problem("fallback", "\"" + f + "\" is not a destination"));
    Map<String, Object> rich = new java.util.LinkedHashMap<>();
    ReplySpec.RICH_KEYS.forEach((key, shape) -> r.structure(key, shape).ifPresent(v -> rich.put(key, v)));
    ReplySpec reply = new ReplySpec(responseType, r.optString("template"), fallback,
        r.optString("username"), r.optString("icon-url"), rich);
    return new CommandConfig(name, token, signingSecret, n.strings("team-id"), n.string("ack", "Working on it…"),
        job(n.section("job")), reply,
        n.integer("concurrency", 2, 1, 1000), n.integer("max-queued", 100, 1, 1_000_000),
        n.bool("rerun-after-crash", true));
  }

  private JobSpec job(ConfigNode n) {
    n.rejectUnknown(Set.of("template", "exec", "http", "timeout", "workdir", "env", "max-output-bytes"));
    Duration timeout = n.duration("timeout", Duration.ofMinutes(5));
    long kinds = List.of("template", "exec", "http").stream().filter(n::has).count();
    if (kinds != 1) {
      n.problem("", "must set exactly one of template, exec, http");
      return new JobSpec.Template("", timeout);
    }
    if (n.has("template")) {
      return new JobSpec.Template(n.string("template", ""), timeout);
    }
    if (n.has("exec")) {
      List<String> argv = n.strings("exec");
      if (argv.isEmpty()) {
        n.problem("exec", "must list the program and its arguments");
      }
      return new JobSpec.Exec(argv, n.string("workdir", "."), n.stringMap("env"), timeout,
          n.integer("max-output-bytes", 1_048_576, 1024, 64 * 1_048_576));
    }
    ConfigNode h = n.section("http");
    h.rejectUnknown(Set.of("method", "url", "headers", "body"));
    String url = h.required("url");
    return new JobSpec.Http(h.string("method", "GET").toUpperCase(java.util.Locale.ROOT), url,
        h.stringMap("headers"), h.string("body", ""), timeout);
  }

  private ScheduleConfig schedule(String name, ConfigNode n, Map<String, DestinationConfig> destinations) {
    n.rejectUnknown(Set.of("cron", "timezone", "catch-up", "job", "destination", "reply"));
    String cron = n.required("cron");
    if (!cron.isEmpty()) {
      try {
        Schedules.parse(cron);
      } catch (IllegalArgumentException e) {
        n.problem("cron", "\"" + cron + "\" is not a cron expression (minute hour day-of-month month day-of-week): "
            + e.getMessage());
      }
    }
    java.time.ZoneId zone = java.time.ZoneOffset.UTC;
    java.util.Optional<String> tz = n.optString("timezone");
    if (tz.isPresent()) {
      try {
        zone = java.time.ZoneId.of(tz.get());
      } catch (java.time.DateTimeException e) {
        n.problem("timezone", "\"" + tz.get() + "\" is not a time zone (e.g. Europe/Paris)");
      }
    }
    String destination = n.required("destination");
    if (!destination.isEmpty() && !destinations.containsKey(destination)) {
      n.problem("destination", "\"" + destination + "\" is not a destination");
    }
    ConfigNode r = n.section("reply");
    r.rejectUnknown(Set.of("template", "username", "icon-url"));
    ReplySpec reply = new ReplySpec(CommandReply.IN_CHANNEL, r.optString("template"), Optional.of(destination),
        r.optString("username"), r.optString("icon-url"));
    CommandConfig job = new CommandConfig(ScheduleConfig.PREFIX + name, Optional.empty(), Optional.empty(), List.of(),
        "", job(n.section("job")), reply, 1, 1, true);
    return new ScheduleConfig(name, cron, zone, n.integer("catch-up", 1, 0, 100), job);
  }

  private HookConfig hook(String name, ConfigNode n, Map<String, DestinationConfig> destinations,
      boolean allowShortSecrets) {
    n.rejectUnknown(Set.of("key", "destination", "coalesce", "channel", "username", "icon-url", "allow-overrides"));
    String key = n.required("key");
    if (!key.isEmpty()) {
      checkSecret(n, "key", key, allowShortSecrets);
      if (!key.matches("[A-Za-z0-9_-]+")) {
        n.problem("key", "must use only letters, digits, '-' and '_'");
      }
    }
    String destination = n.required("destination");
    if (!destination.isEmpty() && !destinations.containsKey(destination)) {
      n.problem("destination", "\"" + destination + "\" is not a destination");
    }
    Optional<String> iconUrl = n.optString("icon-url");
    if (iconUrl.isPresent() && !iconUrl.get().matches("(?i)https?://\\S+")) {
      n.problem("icon-url", "must be an http:// or https:// URL");
    }
    return new HookConfig(name, key, destination, n.duration("coalesce", Duration.ZERO), n.optString("channel"),
        n.optString("username"), iconUrl, n.bool("allow-overrides", true));
  }

  private void checkUniqueHookKeys(ConfigNode root, Map<String, HookConfig> hooks) {
    Set<String> seen = new java.util.HashSet<>();
    hooks.values().forEach(h -> {
      if (!h.key().isEmpty() && !seen.add(h.key())) {
        root.problem("hooks." + h.name() + ".key", "is the same as another hook's key");
      }
    });
  }

  private void checkSecret(ConfigNode n, String name, String value, boolean allowShort) {
    if (!allowShort && value.length() < MIN_SECRET_LENGTH) {
      n.problem(name, "is shorter than " + MIN_SECRET_LENGTH
          + " characters (set security.allow-short-secrets: true to accept it)");
    }
  }
}
