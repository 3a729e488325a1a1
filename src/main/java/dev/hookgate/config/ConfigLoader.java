package dev.hookgate.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the YAML config through vertx-config, then: {@code ${NAME}} (or {@code ${NAME:-default}})
 * replaced from the environment, {@code HOOKGATE_*} variables overriding scalar keys, and
 * validation into {@link GatewayConfig}.
 */
public final class ConfigLoader {
  /**
   * The default config: conf/hookgate.yaml in the working directory, else the copy embedded in
   * the jar under the same path (Vert.x's file resolver falls back to the class path).
   */
  public static final String DEFAULT_PATH = "conf/hookgate.yaml";
  public static final String ENV_PREFIX = "HOOKGATE_";

  /** Scalar keys an environment variable may set even when the file does not mention them. */
  private static final List<String> KNOWN_SCALARS = List.of("http.host", "http.port", "http.max-body-bytes",
      "http.max-form-fields", "store.kind", "store.path", "store.lease", "store.postgres.uri", "store.sqlite-synchronous", "store.retention", "admin.token",
      "response-url.max-post-chars", "jobs.worker-instances", "jobs.worker-pool-size",
      "delivery.max-attempts", "delivery.max-age", "delivery.request-timeout", "delivery.connect-timeout",
      "shutdown.grace", "log.format");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private ConfigLoader() {}

  /** Which file to read: the one given, else the default. */
  public static String choosePath(Optional<String> given) {
    return given.orElse(DEFAULT_PATH);
  }

  private static ConfigRetriever retriever(Vertx vertx, String path) {
    ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", path));
    return ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(yaml)
        .setIncludeDefaultStores(false).setScanPeriod(-1)); // reloads: see ops.ConfigReloader
  }

  /** Reads and validates once. Fails with {@link ConfigException} on any problem. */
  public static Future<GatewayConfig> load(Vertx vertx, String path, Map<String, String> env) {
    if (!path.equals(DEFAULT_PATH) && !Files.isRegularFile(Path.of(path))) {
      return Future.failedFuture(new ConfigException(List.of("config file " + path + ": not found")));
    }
    ConfigRetriever retriever = retriever(vertx, path);
    return retriever.getConfig()
        .recover(e -> Future.failedFuture(new ConfigException(List.of("config file " + path + ": "
            + e.getMessage()))))
        .map(raw -> resolve(raw, env))
        .onComplete(r -> retriever.close());
  }

  /** Substitutes the environment and validates. */
  public static GatewayConfig resolve(JsonObject raw, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    JsonObject substituted = (JsonObject) substitute(raw.copy(), "", env, problems);
    applyOverrides(substituted, env);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return ConfigParser.parse(substituted);
  }

  private static Object substitute(Object value, String key, Map<String, String> env, List<String> problems) {
    if (value instanceof JsonObject obj) {
      for (String k : List.copyOf(obj.fieldNames())) {
        obj.put(k, substitute(obj.getValue(k), key.isEmpty() ? k : key + "." + k, env, problems));
      }
      return obj;
    }
    if (value instanceof JsonArray arr) {
      JsonArray out = new JsonArray();
      for (int i = 0; i < arr.size(); i++) {
        out.add(substitute(arr.getValue(i), key + "[" + i + "]", env, problems));
      }
      return out;
    }
    if (value instanceof String s && s.contains("${")) {
      Matcher m = PLACEHOLDER.matcher(s);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String v = env.get(m.group(1));
        if ((v == null || v.isEmpty()) && m.group(3) != null) {
          v = m.group(3); // ${NAME:-default}: unset or empty, as in a shell
        }
        if (v == null) {
          problems.add(key + ": environment variable " + m.group(1) + " is not set");
          v = "";
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(v));
      }
      m.appendTail(sb);
      return sb.toString();
    }
    return value;
  }

  /** {@code HOOKGATE_HTTP_PORT=9090} sets {@code http.port}: upper case, '.' and '-' become '_'. */
  private static void applyOverrides(JsonObject root, Map<String, String> env) {
    List<String> keys = new ArrayList<>(KNOWN_SCALARS);
    collectScalarKeys(root, "", keys);
    for (String key : keys) {
      String var = ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      String v = env.get(var);
      if (v != null) {
        put(root, key, v);
      }
    }
  }

  private static void collectScalarKeys(JsonObject obj, String prefix, List<String> out) {
    for (String k : obj.fieldNames()) {
      Object v = obj.getValue(k);
      String key = prefix.isEmpty() ? k : prefix + "." + k;
      if (v instanceof JsonObject child) {
        collectScalarKeys(child, key, out);
      } else if (!(v instanceof JsonArray) && !out.contains(key)) {
        out.add(key);
      }
    }
  }

  private static void put(JsonObject root, String dotted, String value) {
    String[] parts = dotted.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = (JsonObject) child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
