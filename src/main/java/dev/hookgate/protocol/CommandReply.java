package dev.hookgate.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The synchronous answer to a slash command: {@code {"response_type": ..., "text": ...}}. */
public final class CommandReply {
  public static final String EPHEMERAL = "ephemeral";
  public static final String IN_CHANNEL = "in_channel";

  private CommandReply() {}

  public static String ephemeral(String text) {
    return json(EPHEMERAL, text);
  }

  public static String json(String responseType, String text) {
    ObjectNode node = ChatJson.object();
    node.put("response_type", responseType);
    node.put("text", text);
    return ChatJson.write(node);
  }
}
