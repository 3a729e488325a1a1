package dev.hookgate.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Set;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the YAML config whole (on a worker thread: validation reads TLS files), then: {@code ${NAME}}
 * (or {@code ${NAME:-default}}) replaced from the environment, {@code HOOKGATE_<KEY>} variables
 * overriding any key of the config reference (present in the file or not), and validation into
 * {@link GatewayConfig}. A {@code HOOKGATE_} variable that names no key is a problem, unless the file
 * uses it as a {@code ${...}} placeholder.
 */
public final class ConfigLoader {
  /**
   * The default config: conf/hookgate.yaml in the working directory, else the copy embedded in
   * the jar under the same path.
   */
  public static final String DEFAULT_PATH = "conf/hookgate.yaml";
  public static final String ENV_PREFIX = "HOOKGATE_";
  /** Variables of hookgate that are not config keys. */
  static final Set<String> NOT_KEYS = Set.of("HOOKGATE_LOG_LEVEL");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private ConfigLoader() {}

  /** Which file to read: the one given, else the default. */
  public static String choosePath(Optional<String> given) {
    return given.orElse(DEFAULT_PATH);
  }

  /** Reads and validates once, off the event loop. Fails with {@link ConfigException} on any problem. */
  public static Future<GatewayConfig> load(Vertx vertx, String path, Map<String, String> env) {
    return vertx.executeBlocking(() -> resolve(read(path), env), false);
  }

  /**
   * The file as a tree; blocking. The default path falls back to the copy in the jar. A file that
   * changes while it is read (an editor writing it in place) is refused: it was not read whole.
   */
  public static JsonObject read(String path) {
    Path file = Path.of(path);
    byte[] bytes;
    try {
      if (path.equals(DEFAULT_PATH) && !Files.exists(file)) {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_PATH)) {
          if (in == null) {
            throw problem(path, "not found");
          }
          bytes = in.readAllBytes();
        }
      } else {
        if (!Files.isRegularFile(file)) {
          throw problem(path, "not found");
        }
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
        bytes = Files.readAllBytes(file);
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
        if (bytes.length != after.size() || !before.lastModifiedTime().equals(after.lastModifiedTime())
            || before.size() != after.size()) {
          throw problem(path, "changed while it was read (not read whole); it is read again at its next change");
        }
      }
    } catch (IOException e) {
      throw problem(path, "cannot be read: " + e.getMessage());
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw problem(path, "is not valid UTF-8");
    }
    Object tree;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      tree = new Yaml(new SafeConstructor(options)).load(text);
    } catch (YAMLException e) {
      throw problem(path, "is not valid YAML: " + e.getMessage().replace("\n", " "));
    }
    if (tree == null) {
      return new JsonObject();
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw problem(path, "must be a YAML mapping (http:, store:, commands:, ...)");
    }
    return (JsonObject) json(map);
  }

  private static ConfigException problem(String path, String what) {
    return new ConfigException(List.of("config file " + path + ": " + what));
  }

  /** SnakeYAML's tree as Vert.x JSON: keys as text, timestamps as ISO text. */
  private static Object json(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      JsonObject obj = new JsonObject();
      map.forEach((k, v) -> obj.put(String.valueOf(k), json(v)));
      return obj;
    }
    if (yaml instanceof List<?> list) {
      JsonArray arr = new JsonArray();
      list.forEach(v -> arr.add(json(v)));
      return arr;
    }
    if (yaml instanceof java.util.Date date) {
      return date.toInstant().toString();
    }
    if (yaml instanceof byte[] || yaml instanceof java.util.Set<?>) {
      return String.valueOf(yaml);
    }
    return yaml;
  }

  /** Substitutes the environment and validates. */
  public static GatewayConfig resolve(JsonObject raw, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    JsonObject substituted = (JsonObject) substitute(raw.copy(), "", env, problems);
    applyOverrides(substituted, raw, env, problems);
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

  /**
   * {@code HOOKGATE_HTTP_PORT=9090} sets {@code http.port}: upper case, '.' and '-' become '_'. Any
   * key the parser reads ({@link ConfigParser#keysRead}: the one schema, entries of named sections
   * under the names the file gives them), and any scalar of the file; a list key takes a
   * comma-separated value. An override can bring keys of its own (store.kind=postgres brings
   * store.postgres.uri): the schema is read again until no variable finds a new key. A {@code HOOKGATE_}
   * variable that names no key is a problem (unless the file's placeholders use it, or it is not a
   * config variable, e.g. HOOKGATE_LOG_LEVEL).
   */
  private static void applyOverrides(JsonObject root, JsonObject raw, Map<String, String> env, List<String> problems) {
    Map<String, String> left = new java.util.TreeMap<>();
    env.forEach((var, value) -> {
      if (var.startsWith(ENV_PREFIX)) {
        left.put(var, value);
      }
    });
    boolean found = true;
    while (found && !left.isEmpty()) {
      Map<String, String> byVariable = keysByVariable(root);
      found = false;
      for (var it = left.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, String> e = it.next();
        String key = byVariable.get(e.getKey());
        if (key != null) {
          override(root, key, e.getValue());
          it.remove();
          found = true;
        }
      }
    }
    Set<String> placeholders = new java.util.HashSet<>();
    Matcher m = PLACEHOLDER.matcher(raw.encode());
    while (m.find()) {
      placeholders.add(m.group(1));
    }
    left.keySet().forEach(var -> {
      if (!placeholders.contains(var) && !NOT_KEYS.contains(var)) {
        problems.add(var + ": names no config key (HOOKGATE_<KEY>: the key in upper case, '.' and '-' as '_', "
            + "e.g. HOOKGATE_HTTP_PORT for http.port)");
      }
    });
  }

  /** The key each variable overrides: the parser's keys first, then the file's own scalars. */
  private static Map<String, String> keysByVariable(JsonObject root) {
    List<String> keys = new ArrayList<>(ConfigParser.keysRead(root));
    collectScalarKeys(root, "", keys);
    Map<String, String> byVariable = new LinkedHashMap<>();
    keys.forEach(key -> byVariable.putIfAbsent(variable(key.replace("[]", "")), key));
    return byVariable;
  }

  private static void override(JsonObject root, String key, String value) {
    if (key.endsWith("[]")) {
      JsonArray list = new JsonArray();
      java.util.Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).forEach(list::add);
      put(root, key.substring(0, key.length() - 2), list);
    } else {
      put(root, key, value);
    }
  }

  /** The environment variable that overrides a key. */
  public static String variable(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
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

  private static void put(JsonObject root, String dotted, Object value) {
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
