package dev.hookgate.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A section of the raw config with its dotted path; every read records a problem naming the key
 * instead of throwing, so that a bad file is reported whole, one line per problem.
 */
final class ConfigNode {
  private final JsonObject json;
  private final String path;
  private final List<String> problems;

  /** Every key read so far ({@code name[]}: a list), in reading order; null: not recorded. */
  private final java.util.Set<String> read;

  ConfigNode(JsonObject json, String path, List<String> problems) {
    this(json, path, problems, null);
  }

  /** As above, recording in {@code read} every key the parser reads (present or not): the schema. */
  ConfigNode(JsonObject json, String path, List<String> problems, java.util.Set<String> read) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
    this.problems = problems;
    this.read = read;
  }

  private void record(String key) {
    if (read != null) {
      read.add(key);
    }
  }

  String key(String name) {
    if (name.isEmpty()) {
      return path;
    }
    return path.isEmpty() ? name : path + "." + name;
  }

  void problem(String name, String message) {
    problems.add(key(name) + ": " + message);
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  ConfigNode section(String name) {
    Object v = json.getValue(name);
    if (v != null && !(v instanceof JsonObject)) {
      problem(name, "must be a mapping");
      v = null;
    }
    return new ConfigNode((JsonObject) v, key(name), problems, read);
  }

  /** The named children of a mapping section, in file order. */
  Map<String, ConfigNode> children(String name) {
    ConfigNode parent = section(name);
    Map<String, ConfigNode> map = new LinkedHashMap<>();
    for (String child : parent.json.fieldNames()) {
      map.put(child, parent.section(child));
    }
    return map;
  }

  Optional<String> optString(String name) {
    record(key(name));
    Object v = json.getValue(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof JsonObject || v instanceof JsonArray) {
      problem(name, "must be a text value");
      return Optional.empty();
    }
    String s = String.valueOf(v);
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  String string(String name, String def) {
    return optString(name).orElse(def);
  }

  String required(String name) {
    Optional<String> s = optString(name);
    if (s.isEmpty() && !json.containsKey(name)) {
      problem(name, "is required");
    } else if (s.isEmpty()) {
      problem(name, "must not be empty");
    }
    return s.orElse("");
  }

  int integer(String name, int def, int min, int max) {
    return number(name, def, min, max, Integer::parseInt);
  }

  double decimal(String name, double def, double min, double max) {
    return number(name, def, min, max, Double::parseDouble);
  }

  private <T extends Comparable<T>> T number(String name, T def, T min, T max, Function<String, T> parse) {
    Optional<String> s = optString(name);
    if (s.isEmpty()) {
      return def;
    }
    try {
      T n = parse.apply(s.get().trim());
      if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
        problem(name, "\"" + s.get() + "\" is out of range (" + min + " to " + max + ")");
        return def;
      }
      return n;
    } catch (NumberFormatException e) {
      problem(name, "\"" + s.get() + "\" is not a number");
      return def;
    }
  }

  boolean bool(String name, boolean def) {
    Optional<String> s = optString(name);
    if (s.isEmpty()) {
      return def;
    }
    return switch (s.get().trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> {
        problem(name, "\"" + s.get() + "\" is not true or false");
        yield def;
      }
    };
  }

  Duration duration(String name, Duration def) {
    Optional<String> s = optString(name);
    if (s.isEmpty()) {
      return def;
    }
    try {
      Duration d = Durations.parse(s.get());
      if (d.isNegative()) {
        problem(name, "\"" + s.get() + "\" must not be negative");
        return def;
      }
      return d;
    } catch (RuntimeException e) {
      problem(name, "\"" + s.get() + "\" is not a duration (e.g. 500ms, 10s, 5m, 1h)");
      return def;
    }
  }

  /** A list of scalars; a single scalar is a list of one. */
  List<String> strings(String name) {
    record(key(name) + "[]");
    Object v = json.getValue(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof JsonArray arr) {
      for (int i = 0; i < arr.size(); i++) {
        Object item = arr.getValue(i);
        if (item == null || item instanceof JsonObject || item instanceof JsonArray) {
          problem(name + "[" + i + "]", "must be a text value");
        } else {
          out.add(String.valueOf(item));
        }
      }
    } else if (v instanceof JsonObject) {
      problem(name, "must be a list");
    } else {
      out.add(String.valueOf(v));
    }
    return out;
  }

  /** A mapping of scalars (headers, environment). */
  Map<String, String> stringMap(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    ConfigNode s = section(name);
    for (String k : s.json.fieldNames()) {
      s.optString(k).ifPresent(v -> out.put(k, v));
    }
    return out;
  }

  void rejectUnknown(java.util.Set<String> known) {
    for (String k : json.fieldNames()) {
      if (!known.contains(k)) {
        problem(k, "unknown key (expected one of " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  /**
   * A YAML structure as written, as plain (unmodifiable) lists and maps; {@code shape} is
   * {@code List.class} or {@code Map.class}. Empty when absent or of another shape (a problem).
   */
  Optional<Object> structure(String name, Class<?> shape) {
    Object v = json.getValue(name);
    if (v == null) {
      return Optional.empty();
    }
    boolean list = shape == List.class;
    if (list ? !(v instanceof JsonArray) : !(v instanceof JsonObject)) {
      problem(name, list ? "must be a list" : "must be a mapping");
      return Optional.empty();
    }
    return Optional.of(plain(v));
  }

  private static Object plain(Object v) {
    if (v instanceof JsonObject o) {
      Map<String, Object> m = new LinkedHashMap<>();
      o.forEach(e -> m.put(e.getKey(), plain(e.getValue())));
      return java.util.Collections.unmodifiableMap(m);
    }
    if (v instanceof JsonArray a) {
      List<Object> l = new ArrayList<>();
      a.forEach(item -> l.add(plain(item)));
      return java.util.Collections.unmodifiableList(l);
    }
    return v;
  }
}
