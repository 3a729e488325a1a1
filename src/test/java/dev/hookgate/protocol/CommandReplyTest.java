package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CommandReplyTest {

  @Test
  void ephemeralReplyIsResponseTypeThenText() {
    assertEquals("{\"response_type\":\"ephemeral\",\"text\":\"Command received.\"}",
        CommandReply.ephemeral("Command received."));
  }

  @Test
  void inChannelReplyHasItsResponseType() {
    assertEquals("{\"response_type\":\"in_channel\",\"text\":\"done\"}", CommandReply.json(CommandReply.IN_CHANNEL, "done"));
  }

  @Test
  void textIsJsonEscaped() {
    assertEquals("{\"response_type\":\"ephemeral\",\"text\":\"a \\\"q\\\"\\nb\\\\c \u00e9\"}",
        CommandReply.ephemeral("a \"q\"\nb\\c \u00e9"));
  }

  @Test
  void replyParsesBackToTheSameMessage() {
    ChatMessage m = ChatMessage.fromJson(CommandReply.ephemeral("## Commande reçue!\nPayload : x"));
    assertEquals("ephemeral", m.responseType());
    assertEquals("## Commande reçue!\nPayload : x", m.text());
  }

  @Test
  void responseTypesAreMattermostConstants() {
    assertEquals("ephemeral", CommandReply.EPHEMERAL);
    assertEquals("in_channel", CommandReply.IN_CHANNEL);
  }
}
