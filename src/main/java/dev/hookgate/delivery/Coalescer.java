package dev.hookgate.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.protocol.PostSplitter;
import dev.hookgate.store.Delivery;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges the head of a backlogged lane with the messages queued behind it that look the same
 * (same envelope: channel, username, icon, response_type, props...): texts newline-joined in
 * order up to the post limit, attachments concatenated up to 100. A flood arrives as a few
 * complete posts instead of an hour-long trickle.
 */
final class Coalescer {
  /**
   * A merged post stays well under Mattermost's default body limit (MaximumPayloadSizeBytes,
   * 300,000): beyond, the chat server would refuse every message of the batch at once.
   */
  static final int MAX_POST_BYTES = 200_000;

  private Coalescer() {}

  /** A post and the deliveries it carries. */
  record Batch(ChatMessage message, List<Delivery> deliveries) {
    List<Long> ids() {
      return deliveries.stream().map(Delivery::id).toList();
    }
  }

  static Batch take(List<Delivery> ready, int maxPostChars) {
    Delivery head = ready.get(0);
    List<Delivery> taken = new ArrayList<>(List.of(head));
    StringBuilder text = new StringBuilder(head.message().text());
    int length = PostSplitter.length(text.toString());
    ArrayNode attachments = head.message().attachments();
    var envelope = head.message().envelope();
    int bytes = utf8Length(head.message());
    for (int i = 1; i < ready.size(); i++) {
      ChatMessage next = ready.get(i).message();
      if (!next.envelope().equals(envelope)) {
        break;
      }
      String t = next.text();
      int extra = t.isEmpty() ? 0 : PostSplitter.length(t) + (length > 0 ? 1 : 0);
      int nextBytes = utf8Length(next);
      if (length + extra > maxPostChars
          || attachments.size() + next.attachments().size() > ChatMessage.MAX_ATTACHMENTS
          || bytes + nextBytes > MAX_POST_BYTES) {
        break;
      }
      bytes += nextBytes;
      if (!t.isEmpty()) {
        if (length > 0) {
          text.append('\n');
        }
        text.append(t);
        length += extra;
      }
      attachments.addAll(next.attachments());
      taken.add(ready.get(i));
    }
    if (taken.size() == 1) {
      return new Batch(head.message(), taken);
    }
    return new Batch(head.message().withText(text.toString()).withAttachments(attachments), taken);
  }

  private static int utf8Length(ChatMessage m) {
    return m.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
