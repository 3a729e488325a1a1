package dev.hookgate.delivery;

import dev.hookgate.config.DestinationConfig;
import dev.hookgate.protocol.BlockKitRenderer;
import dev.hookgate.protocol.ChatMessage;

/**
 * What a post looks like for the chat server it goes to. Toward a Mattermost destination, Block
 * Kit is rendered ({@link BlockKitRenderer}); toward Slack, the message is unchanged. A response_url
 * reply was rendered for its command's chat server when it was made. A post the chat server would
 * refuse (no text, no attachment, and no blocks Slack shows) is never sent.
 */
final class ChatKinds {
  static final String NOTHING_TO_SHOW =
      "nothing the chat server can show (no text, no attachment, no block it renders): not sent";

  private ChatKinds() {}

  /** The message as the destination's chat server renders it (a response_url's: as it is). */
  static ChatMessage forDestination(ChatMessage message, DestinationConfig destination) {
    return destination != null && destination.kind() == DestinationConfig.ChatKind.MATTERMOST
        ? BlockKitRenderer.forMattermost(message) : message;
  }

  /** Whether the chat server would take the post at all. */
  static boolean postable(ChatMessage message, DestinationConfig destination) {
    if (!message.text().isBlank()) {
      return true; // the relay's usual case: nothing to render or copy
    }
    ChatMessage rendered = forDestination(message, destination);
    return BlockKitRenderer.showableOnMattermost(rendered)
        || (rendered.field("blocks") instanceof com.fasterxml.jackson.databind.node.ArrayNode b && !b.isEmpty());
  }
}
