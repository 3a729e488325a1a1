package dev.hookgate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A message body as Mattermost and Slack accept it, on an incoming hook or a response_url:
 * {@code text}, {@code response_type}, {@code username}, {@code icon_url}, {@code attachments},
 * {@code props}... Known fields have accessors; every other field is passed through untouched.
 * Immutable: the JSON tree is copied in and out.
 */
public final class ChatMessage {
  public static final int MAX_ATTACHMENTS = 100;

  private final ObjectNode body;

  private ChatMessage(ObjectNode body) {
    this.body = body;
  }

  public static ChatMessage of(ObjectNode body) {
    return new ChatMessage(body.deepCopy());
  }

  public static ChatMessage fromJson(String json) {
    JsonNode node = ChatJson.parse(json);
    if (!node.isObject()) {
      throw new MalformedRequestException("message must be a JSON object");
    }
    return new ChatMessage((ObjectNode) node);
  }

  public static ChatMessage text(String responseType, String text) {
    ObjectNode node = ChatJson.object();
    if (responseType != null) {
      node.put("response_type", responseType);
    }
    node.put("text", text);
    return new ChatMessage(node);
  }

  public String text() {
    JsonNode t = body.get("text");
    return t == null || t.isNull() ? "" : t.asText();
  }

  /** A top-level text field ({@code channel}, {@code username}...), empty when absent or blank. */
  public java.util.Optional<String> textField(String name) {
    JsonNode v = body.get(name);
    return v != null && v.isTextual() && !v.asText().isBlank() ? java.util.Optional.of(v.asText())
        : java.util.Optional.empty();
  }

  /** Whether a top-level field, or that field of an attachment, is there (no copy made). */
  public boolean hasAnywhere(String name) {
    if (body.hasNonNull(name)) {
      return true;
    }
    for (JsonNode a : body.path("attachments")) {
      if (a.hasNonNull(name)) {
        return true;
      }
    }
    return false;
  }

  /** A top-level field as it is (a copy), null when absent. */
  public JsonNode field(String name) {
    JsonNode v = body.get(name);
    return v == null ? null : v.deepCopy();
  }

  public ArrayNode attachments() {
    JsonNode a = body.get("attachments");
    return a instanceof ArrayNode arr ? arr.deepCopy() : ChatJson.MAPPER.createArrayNode();
  }

  public String responseType() {
    JsonNode t = body.get("response_type");
    return t == null || t.isNull() ? "" : t.asText();
  }

  public ChatMessage withText(String text) {
    ObjectNode copy = body.deepCopy();
    copy.put("text", text);
    return new ChatMessage(copy);
  }

  public ChatMessage withField(String name, JsonNode value) {
    ObjectNode copy = body.deepCopy();
    if (value == null || value.isNull()) {
      copy.remove(name);
    } else {
      copy.set(name, value);
    }
    return new ChatMessage(copy);
  }

  public ChatMessage withAttachments(ArrayNode attachments) {
    return withField("attachments", attachments.isEmpty() ? null : attachments);
  }

  /**
   * Everything but text and attachments: two messages with the same envelope go to the same place
   * with the same look, so their texts may be merged into one post.
   */
  public ObjectNode envelope() {
    ObjectNode copy = body.deepCopy();
    copy.remove("text");
    copy.remove("attachments");
    return copy;
  }

  public String encode() {
    return ChatJson.write(body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatMessage m && m.body.equals(body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(body);
  }

  @Override
  public String toString() {
    return encode();
  }
}
