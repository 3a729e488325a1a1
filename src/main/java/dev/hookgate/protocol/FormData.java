package dev.hookgate.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code application/x-www-form-urlencoded} body (or query string), decoded as Go's
 * {@code url.ParseQuery} does: keys keep their order of first appearance; of a repeated key, the
 * first value is the one read (as Go's {@code Values.Get} does).
 *
 * @see <a href="https://url.spec.whatwg.org/#application/x-www-form-urlencoded">WHATWG urlencoded</a>
 */
public final class FormData {
  private final Map<String, String> values;

  private FormData(Map<String, String> values) {
    this.values = values;
  }

  /** Decodes a urlencoded string; throws {@link MalformedRequestException} on a bad escape or bad UTF-8. */
  public static FormData parse(String encoded, int maxFields) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return new FormData(values);
    }
    int fields = 0;
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      if (++fields > maxFields) {
        throw new MalformedRequestException("too many form fields (more than " + maxFields + ")");
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.putIfAbsent(key, value);
    }
    return new FormData(values);
  }

  public static FormData parse(byte[] body, int maxFields) {
    return parse(Utf8.decodeStrict(body, "form body"), maxFields);
  }

  /** The first value of a field, if present (an empty value is present). */
  public Optional<String> first(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Every field, first value only, in order. */
  public Map<String, String> firstValues() {
    return Collections.unmodifiableMap(values);
  }

  private static String decode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new MalformedRequestException("invalid percent-escape in form body");
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
        out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return Utf8.decodeStrict(out.toByteArray(), "form field");
  }
}
