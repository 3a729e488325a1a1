package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class ChatMessageTest {
  /** The message as it goes on the wire, as a tree. */
  static com.fasterxml.jackson.databind.node.ObjectNode json(ChatMessage m) {
    return (com.fasterxml.jackson.databind.node.ObjectNode) ChatJson.parse(m.encode());
  }

  private static final String FULL = "{\"text\":\"hi\",\"response_type\":\"in_channel\",\"username\":\"bot\","
      + "\"channel\":\"#ops\",\"props\":{\"k\":\"v\"},\"attachments\":[{\"title\":\"a\"}]}";

  @Test
  void envelopeIsEverythingButTextAndAttachments() {
    ObjectNode envelope = ChatMessage.fromJson(FULL).envelope();
    assertEquals(ChatJson.parse("{\"response_type\":\"in_channel\",\"username\":\"bot\",\"channel\":\"#ops\","
        + "\"props\":{\"k\":\"v\"}}"), envelope);
  }

  @Test
  void messagesDifferingOnlyInTextAndAttachmentsShareAnEnvelope() {
    ChatMessage a = ChatMessage.fromJson("{\"text\":\"one\",\"channel\":\"#ops\"}");
    ChatMessage b = ChatMessage.fromJson("{\"text\":\"two\",\"channel\":\"#ops\",\"attachments\":[{}]}");
    ChatMessage c = ChatMessage.fromJson("{\"text\":\"one\",\"channel\":\"#dev\"}");
    assertEquals(a.envelope(), b.envelope());
    assertNotEquals(a.envelope(), c.envelope());
  }

  @Test
  void envelopeIsACopy() {
    ChatMessage m = ChatMessage.fromJson(FULL);
    m.envelope().put("username", "changed");
    assertEquals("bot", json(m).get("username").asText());
  }

  @Test
  void withTextReturnsANewMessageAndLeavesTheOriginal() {
    ChatMessage m = ChatMessage.fromJson(FULL);
    ChatMessage changed = m.withText("bye");
    assertEquals("hi", m.text());
    assertEquals("bye", changed.text());
    assertEquals(m.envelope(), changed.envelope());
    assertEquals(m.attachments(), changed.attachments());
  }

  @Test
  void ofCopiesTheTreeIn() {
    ObjectNode node = ChatJson.object().put("text", "a");
    ChatMessage m = ChatMessage.of(node);
    node.put("text", "b");
    assertEquals("a", m.text());
  }

  @Test
  void attachmentsAreCopiesOut() {
    ChatMessage m = ChatMessage.fromJson(FULL);
    m.attachments().add(ChatJson.object());
    ((ObjectNode) m.attachments().get(0)).put("title", "mutated");
    assertEquals("hi", m.text());
    assertEquals(1, m.attachments().size());
    assertEquals("a", m.attachments().get(0).get("title").asText());
  }

  @Test
  void missingOrNullTextAndResponseTypeAreEmpty() {
    ChatMessage m = ChatMessage.fromJson("{\"text\":null}");
    assertEquals("", m.text());
    assertEquals("", m.responseType());
    assertEquals(0, m.attachments().size());
  }

  @Test
  void textFactorySetsResponseTypeWhenGiven() {
    assertEquals("{\"response_type\":\"ephemeral\",\"text\":\"x\"}", ChatMessage.text("ephemeral", "x").encode());
    assertEquals("{\"text\":\"x\"}", ChatMessage.text(null, "x").encode());
    assertEquals("ephemeral", ChatMessage.text("ephemeral", "x").responseType());
  }

  @Test
  void withFieldSetsOrRemoves() {
    ChatMessage m = ChatMessage.text(null, "x");
    ChatMessage named = m.withField("username", TextNode.valueOf("bot"));
    assertEquals("bot", json(named).get("username").asText());
    assertFalse(json(m).has("username"));
    assertFalse(json(named.withField("username", null)).has("username"));
    assertFalse(json(named.withField("username", ChatJson.MAPPER.nullNode())).has("username"));
  }

  @Test
  void emptyAttachmentsRemoveTheField() {
    ChatMessage m = ChatMessage.fromJson(FULL);
    assertFalse(json(m.withAttachments(ChatJson.MAPPER.createArrayNode())).has("attachments"));
    ArrayNode two = ChatJson.MAPPER.createArrayNode().add(ChatJson.object()).add(ChatJson.object());
    assertEquals(2, m.withAttachments(two).attachments().size());
    assertEquals(1, m.attachments().size());
  }

  @Test
  void fromJsonRefusesNonObjects() {
    MalformedRequestException e = assertThrows(MalformedRequestException.class, () -> ChatMessage.fromJson("[1]"));
    assertEquals("message must be a JSON object", e.getMessage());
    assertTrue(assertThrows(MalformedRequestException.class, () -> ChatMessage.fromJson("{"))
        .getMessage().startsWith("invalid JSON: "));
  }

  @Test
  void equalityIsByJsonContent() {
    assertEquals(ChatMessage.fromJson("{\"a\":1,\"text\":\"x\"}"), ChatMessage.fromJson("{\"text\":\"x\",\"a\":1}"));
    assertEquals(ChatMessage.fromJson("{\"a\":1,\"text\":\"x\"}").hashCode(),
        ChatMessage.fromJson("{\"text\":\"x\",\"a\":1}").hashCode());
    assertNotEquals(ChatMessage.text(null, "x"), ChatMessage.text(null, "y"));
  }

  @Test
  void encodeRoundTrips() {
    ChatMessage m = ChatMessage.fromJson(FULL);
    assertEquals(m, ChatMessage.fromJson(m.encode()));
    assertEquals(m.encode(), m.toString());
  }

  @Test
  void maxAttachmentsIsAHundred() {
    assertEquals(100, ChatMessage.MAX_ATTACHMENTS);
  }
}
