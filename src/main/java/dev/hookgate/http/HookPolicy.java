package dev.hookgate.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hookgate.config.HookConfig;
import dev.hookgate.protocol.ChatMessage;
import java.util.Locale;
import java.util.Optional;

/**
 * What a hook's settings do to a producer's payload, as a locked Mattermost hook would: a channel
 * pinned by the hook is where the post goes (another channel named by the payload is refused); the
 * hook's username and icon are used when the payload has none, or always when overrides are off.
 * Pure: no I/O, no Vert.x.
 */
final class HookPolicy {
  /** Mattermost's message for {@code web.incoming_webhook.channel_locked.app_error}. */
  static final String CHANNEL_LOCKED = "This webhook is not permitted to post to the requested channel.";
  /** Dropped from a payload's props when overrides are off. */
  static final java.util.List<String> OVERRIDE_PROPS = java.util.List.of("override_username", "override_icon_url",
      "from_webhook");

  /** The outcome for one payload. */
  sealed interface Verdict {
    /** Post this message (the payload with the hook's channel, username and icon applied). */
    record Post(ChatMessage message) implements Verdict {}

    /** The payload names a channel the hook is not locked to. */
    record ChannelLocked(String requested) implements Verdict {}
  }

  private HookPolicy() {}

  static Verdict apply(HookConfig hook, ChatMessage message) {
    ChatMessage out = message;
    if (hook.channel().isPresent()) {
      Optional<String> requested = message.textField("channel");
      if (requested.isPresent() && !sameChannel(requested.get(), hook.channel().get())) {
        return new Verdict.ChannelLocked(requested.get());
      }
      out = out.withField("channel", TextNode.valueOf(hook.channel().get()));
    }
    if (!hook.allowOverrides()) {
      out = withoutOverrideProps(out.withField("username", null).withField("icon_url", null)
          .withField("icon_emoji", null));
    }
    out = orHooks(out, "username", hook.username());
    if (out.textField("icon_emoji").isEmpty()) {
      out = orHooks(out, "icon_url", hook.iconUrl());
    }
    return new Verdict.Post(out);
  }

  /** Props Mattermost reads as a name or icon override, or as its own mark of a webhook post. */
  private static ChatMessage withoutOverrideProps(ChatMessage message) {
    if (!(message.envelope().get("props") instanceof ObjectNode props)
        || OVERRIDE_PROPS.stream().noneMatch(props::has)) {
      return message;
    }
    props.remove(OVERRIDE_PROPS);
    return message.withField("props", props);
  }

  private static ChatMessage orHooks(ChatMessage message, String field, Optional<String> hooks) {
    if (message.textField(field).isPresent() || hooks.isEmpty()) {
      return message;
    }
    return message.withField(field, TextNode.valueOf(hooks.get()));
  }

  /** Channel names as Mattermost resolves them: an optional leading {@code #}, names in lower case. */
  private static boolean sameChannel(String a, String b) {
    return name(a).equals(name(b));
  }

  private static String name(String channel) {
    String c = channel.trim();
    return (c.startsWith("#") ? c.substring(1) : c).toLowerCase(Locale.ROOT);
  }
}
