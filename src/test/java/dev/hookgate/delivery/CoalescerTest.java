package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hookgate.protocol.ChatJson;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.DeliveryState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescerTest {
  private static final int MAX = 16383;

  private static Delivery delivery(long id, ChatMessage message) {
    return new Delivery(id, "ops", null, null, null, "alerts", message, DeliveryState.PENDING, 0,
        1_000L + id, 0L, null, null);
  }

  private static Delivery text(long id, String text) {
    return delivery(id, ChatMessage.fromJson("{\"channel\":\"#ops\",\"username\":\"bot\"}").withText(text));
  }

  private static Delivery withAttachments(long id, String text, int count) {
    ArrayNode atts = ChatJson.MAPPER.createArrayNode();
    for (int i = 0; i < count; i++) {
      atts.add(ChatJson.object().put("title", id + "-" + i));
    }
    return delivery(id, ChatMessage.fromJson("{\"channel\":\"#ops\",\"username\":\"bot\"}").withText(text)
        .withAttachments(atts));
  }

  @Test
  void singleDeliveryIsSentAsIs() {
    Delivery d = text(1, "hello");
    Coalescer.Batch batch = Coalescer.take(List.of(d), MAX);
    assertSame(d.message(), batch.message());
    assertEquals(List.of(1L), batch.ids());
  }

  @Test
  void sameEnvelopeMessagesAreNewlineJoinedInOrder() {
    Coalescer.Batch batch = Coalescer.take(List.of(text(1, "one"), text(2, "two"), text(3, "three")), MAX);
    assertEquals("one\ntwo\nthree", batch.message().text());
    assertEquals(List.of(1L, 2L, 3L), batch.ids());
    assertEquals(text(1, "").message().envelope(), batch.message().envelope());
  }

  @Test
  void differentEnvelopeStopsTheBatchEvenIfLaterOnesMatch() {
    Delivery other = delivery(3, ChatMessage.fromJson("{\"channel\":\"#dev\",\"username\":\"bot\",\"text\":\"x\"}"));
    Coalescer.Batch batch = Coalescer.take(List.of(text(1, "a"), text(2, "b"), other, text(4, "d")), MAX);
    assertEquals("a\nb", batch.message().text());
    assertEquals(List.of(1L, 2L), batch.ids());
  }

  @Test
  void differentHeadEnvelopeIsSentAlone() {
    Delivery other = delivery(1, ChatMessage.fromJson("{\"text\":\"x\",\"response_type\":\"in_channel\"}"));
    Coalescer.Batch batch = Coalescer.take(List.of(other, text(2, "b")), MAX);
    assertEquals(List.of(1L), batch.ids());
    assertSame(other.message(), batch.message());
  }

  @Test
  void mergedTextStaysWithinMaxPostChars() {
    // "aaaa\nbbbb" is 9 chars; adding "\ncc" would make 12
    List<Delivery> ready = List.of(text(1, "aaaa"), text(2, "bbbb"), text(3, "cc"), text(4, "d"));
    Coalescer.Batch batch = Coalescer.take(ready, 10);
    assertEquals("aaaa\nbbbb", batch.message().text());
    assertEquals(List.of(1L, 2L), batch.ids());
  }

  @Test
  void mergedTextMayFillMaxPostCharsExactly() {
    Coalescer.Batch batch = Coalescer.take(List.of(text(1, "aaaa"), text(2, "bbbbb")), 10);
    assertEquals("aaaa\nbbbbb", batch.message().text());
    assertEquals(2, batch.deliveries().size());
  }

  @Test
  void maxPostCharsCountsCodePoints() {
    String grin = "\uD83D\uDE00";
    Coalescer.Batch batch = Coalescer.take(List.of(text(1, grin.repeat(4)), text(2, grin.repeat(5)),
        text(3, grin)), 10);
    assertEquals(grin.repeat(4) + "\n" + grin.repeat(5), batch.message().text());
    assertEquals(List.of(1L, 2L), batch.ids());
  }

  @Test
  void oversizedHeadIsStillTakenAlone() {
    Coalescer.Batch batch = Coalescer.take(List.of(text(1, "x".repeat(20)), text(2, "y")), 10);
    assertEquals(List.of(1L), batch.ids());
    assertEquals("x".repeat(20), batch.message().text());
  }

  @Test
  void emptyTextsAddNoBlankLines() {
    Coalescer.Batch batch = Coalescer.take(List.of(withAttachments(1, "", 1), text(2, "b"),
        withAttachments(3, "", 1), text(4, "d")), MAX);
    assertEquals("b\nd", batch.message().text());
    assertEquals(4, batch.deliveries().size());
    assertEquals(2, batch.message().attachments().size());
  }

  @Test
  void attachmentsAreConcatenatedInOrder() {
    Coalescer.Batch batch = Coalescer.take(List.of(withAttachments(1, "a", 2), withAttachments(2, "", 1),
        withAttachments(3, "c", 2)), MAX);
    List<String> titles = new ArrayList<>();
    batch.message().attachments().forEach(a -> titles.add(a.get("title").asText()));
    assertEquals(List.of("1-0", "1-1", "2-0", "3-0", "3-1"), titles);
    assertEquals("a\nc", batch.message().text());
  }

  @Test
  void attachmentsStopAtAHundred() {
    Coalescer.Batch batch = Coalescer.take(List.of(withAttachments(1, "a", 60), withAttachments(2, "b", 40),
        withAttachments(3, "c", 1), text(4, "d")), MAX);
    assertEquals(List.of(1L, 2L), batch.ids());
    assertEquals(100, batch.message().attachments().size());
    assertEquals("a\nb", batch.message().text());
  }

  @Test
  void textOnlyMessagesStillJoinAFullHundredAttachments() {
    Coalescer.Batch batch = Coalescer.take(List.of(withAttachments(1, "a", 100), text(2, "b")), MAX);
    assertEquals(List.of(1L, 2L), batch.ids());
    assertEquals(100, batch.message().attachments().size());
  }

  @Test
  void mergedTextOnlyMessagesHaveNoAttachmentsField() {
    Coalescer.Batch batch = Coalescer.take(List.of(text(1, "a"), text(2, "b")), MAX);
    assertFalse(dev.hookgate.protocol.ChatJson.parse(batch.message().encode()).has("attachments"));
  }

  @Test
  void inputMessagesAreNotModified() {
    Delivery head = withAttachments(1, "a", 1);
    String before = head.message().encode();
    Coalescer.take(List.of(head, withAttachments(2, "b", 1)), MAX);
    assertEquals(before, head.message().encode());
  }

  @Test
  void aMergedPostStaysUnderTheChatServersBodyLimit() {
    String big = "é".repeat(30_000); // 60,000 bytes each, 30,000 characters
    List<Delivery> heavy = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      heavy.add(delivery(i + 1, ChatMessage.fromJson("{\"channel\":\"#ops\"}").withText(big)));
    }
    Coalescer.Batch batch = Coalescer.take(heavy, 1_000_000);
    assertEquals(3, batch.deliveries().size());
  }
}
