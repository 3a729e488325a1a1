package dev.hookgate.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookgate.protocol.ChatJson;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The values an outbound request carries that must never be shown back (an API's error body may
 * echo the request): every header value and each of its words, and the values of the body (JSON
 * leaves, form values, or the body's words). {@link #mask} replaces each with "…".
 */
public final class RequestSecrets {
  /** Shorter words are not masked one by one (a whole header value is, whatever its length). */
  private static final int MIN_WORD = 4;

  private final List<String> values;

  private RequestSecrets(Set<String> values) {
    List<String> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.comparingInt(String::length).reversed()); // the longest first: no half-masked value
    this.values = List.copyOf(sorted);
  }

  /** The secrets of a request with these (rendered) header values and body (null: none). */
  public static RequestSecrets of(Collection<String> headerValues, String body) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : headerValues) {
      if (!v.isBlank()) {
        out.add(v.strip());
      }
      words(v, out);
    }
    if (body != null && !body.isBlank()) {
      bodyValues(body, out);
    }
    return new RequestSecrets(out);
  }

  /** {@code text} with every secret value replaced by "…". */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String v : values) {
      out = out.replace(v, "…");
    }
    return out;
  }

  private static void bodyValues(String body, Set<String> out) {
    String trimmed = body.strip();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        leaves(ChatJson.parse(trimmed), out);
        return;
      } catch (RuntimeException notJson) {
        // words below
      }
    }
    if (trimmed.contains("=") && !trimmed.contains(" ")) { // a form: a=b&c=d
      for (String pair : trimmed.split("&")) {
        int eq = pair.indexOf('=');
        String value = eq < 0 ? pair : pair.substring(eq + 1);
        if (!value.isEmpty()) {
          out.add(value);
          try {
            out.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            // the raw value is masked
          }
        }
      }
      return;
    }
    out.add(trimmed);
    words(trimmed, out);
  }

  private static void leaves(JsonNode node, Set<String> out) {
    if (node.isContainerNode()) {
      node.forEach(child -> leaves(child, out));
    } else if (!node.isNull() && !node.isBoolean()) {
      String v = node.asText();
      if (v.length() >= MIN_WORD) {
        out.add(v);
        out.add(ChatJson.write(node)); // as it appears in JSON, escapes included
      }
      words(v, out);
    }
  }

  private static void words(String text, Set<String> out) {
    for (String w : text.split("[\\s\"'{}\\[\\]:,;=&]+")) {
      if (w.length() >= MIN_WORD) {
        out.add(w);
      }
    }
  }
}
