package dev.hookgate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.hookgate.protocol.ChatJson;
import java.util.HashMap;
import java.util.Map;

/** A job's request fields as the stores keep them: one JSON object of strings. */
final class RequestJson {
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private RequestJson() {}

  static String encode(Map<String, String> map) {
    try {
      return ChatJson.MAPPER.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> decode(String json) {
    try {
      return new HashMap<>(ChatJson.MAPPER.readValue(json, STRING_MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt job request in store", e);
    }
  }
}
