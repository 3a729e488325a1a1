package dev.hookgate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the body of a POST to an incoming hook exactly as Mattermost does
 * ({@code server/channels/web/webhook.go incomingWebhook}): a urlencoded {@code payload=} field,
 * else the raw body as JSON whatever the content type; keys matched as Go does ({@link #fold}); one retry
 * with raw newlines and tabs escaped inside text-like values; "No text specified." when there is
 * neither text, attachments nor Slack {@code blocks} (which Slack accepts without text, and which are
 * passed on unchanged).
 *
 * @see <a href="https://developers.mattermost.com/integrate/webhooks/incoming/">Mattermost incoming webhooks</a>
 */
public final class IncomingHookRequest {
  /** Mattermost's exact error text for a payload with neither text nor attachments. */
  public static final String NO_TEXT = "No text specified.";

  private static final Set<String> STRING_FIELDS =
      Set.of("text", "username", "icon_url", "icon_emoji", "channel", "type", "root_id");
  private static final Set<String> OBJECT_FIELDS = Set.of("props", "priority");
  /** Arrays of objects that are content of their own: a payload with one of them needs no text. */
  private static final Set<String> CONTENT_ARRAYS = Set.of("attachments", "blocks");
  private static final Pattern CONTROL_CHAR_VALUES = Pattern.compile(
      // possessive and escape-aware: no backtracking, no recursion depth growing with the text
      "(?s)\"(text|fallback|pretext|author_name|title|value)\"\\s*:\\s*\"(?:\\\\.|[^\"\\\\])*+\"");

  private IncomingHookRequest() {}

  public static ChatMessage parse(String contentType, byte[] body, int maxFormFields) {
    String json = isForm(contentType)
        ? FormData.parse(body, maxFormFields).first("payload").orElse("")
        : Utf8.decodeStrict(body, "request body");
    if (json.isBlank()) {
      throw new MalformedRequestException("empty payload");
    }
    JsonNode node;
    try {
      node = ChatJson.parse(json);
    } catch (MalformedRequestException first) {
      String escaped = escapeControlChars(json);
      if (escaped.equals(json)) {
        throw first;
      }
      node = ChatJson.parse(escaped);
    }
    if (!node.isObject()) {
      throw new MalformedRequestException("payload must be a JSON object");
    }
    ObjectNode message = normalise((ObjectNode) node);
    if (message.path("text").asText("").isEmpty() && CONTENT_ARRAYS.stream().noneMatch(message::has)) {
      throw new MalformedRequestException(MalformedRequestException.Kind.NO_TEXT, NO_TEXT);
    }
    return ChatMessage.of(message);
  }

  static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return media.equals("application/x-www-form-urlencoded");
  }

  /** Lower-cases the known keys (Go's case-insensitive match) and checks their types. */
  private static ObjectNode normalise(ObjectNode in) {
    ObjectNode out = ChatJson.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      String lower = fold(key);
      JsonNode value = e.getValue();
      if (STRING_FIELDS.contains(lower) || OBJECT_FIELDS.contains(lower) || CONTENT_ARRAYS.contains(lower)) {
        key = lower;
        checkType(key, value);
        if (value.isNull()) {
          continue;
        }
      }
      out.set(key, value);
    }
    return out;
  }

  /**
   * A key as Go's encoding/json matches it to a field (Mattermost's decoder): case-insensitively, with
   * Unicode simple folding, so that {@code uſername} (U+017F) and {@code \u212Aey} (Kelvin sign) match
   * {@code username} and {@code key}: each code point to its upper case, then to its lower case.
   */
  static String fold(String key) {
    StringBuilder sb = new StringBuilder(key.length());
    key.codePoints().forEach(c -> sb.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
    return sb.toString();
  }

  private static void checkType(String key, JsonNode value) {
    if (value.isNull()) {
      return;
    }
    boolean ok = STRING_FIELDS.contains(key) ? value.isTextual()
        : OBJECT_FIELDS.contains(key) ? value.isObject()
        : value.isArray();
    if (!ok) {
      String expected = STRING_FIELDS.contains(key) ? "a string" : OBJECT_FIELDS.contains(key) ? "an object" : "an array";
      throw new MalformedRequestException("field '" + key + "' must be " + expected);
    }
    if (CONTENT_ARRAYS.contains(key)) {
      for (JsonNode a : value) {
        if (!a.isObject() && !(a.isNull() && key.equals("attachments"))) {
          throw new MalformedRequestException("field '" + key + "' must hold objects");
        }
      }
    }
    if (key.equals("attachments") && value.size() > ChatMessage.MAX_ATTACHMENTS) {
      throw new MalformedRequestException("too many attachments (more than " + ChatMessage.MAX_ATTACHMENTS + ")");
    }
  }

  /** Mattermost's escapeControlCharsFromPayload: raw \n and \t inside text-like string values. */
  static String escapeControlChars(String json) {
    Matcher m = CONTROL_CHAR_VALUES.matcher(json);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String fixed = m.group().replace("\n", "\\n").replace("\t", "\\t");
      m.appendReplacement(sb, Matcher.quoteReplacement(fixed));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
