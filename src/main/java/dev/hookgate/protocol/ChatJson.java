package dev.hookgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the wire protocol, with limits that keep hostile payloads cheap. */
public final class ChatJson {
  /** Deeper nesting than any real chat payload; deeper is refused before it costs stack. */
  public static final int MAX_NESTING = 64;

  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
      .build());

  private ChatJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses text as a JSON value; throws {@link MalformedRequestException} with a short reason. */
  public static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new MalformedRequestException("empty JSON body");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedRequestException("invalid JSON: " + e.getOriginalMessage());
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JSON", e);
    }
  }
}
