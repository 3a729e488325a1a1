package dev.hookgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hookgate.config.HookConfig;
import dev.hookgate.protocol.ChatMessage;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HookPolicyTest {
  static HookConfig hook(String channel, String username, String icon, boolean overrides) {
    return new HookConfig("alerts", "k", "ops", Duration.ZERO, Optional.ofNullable(channel),
        Optional.ofNullable(username), Optional.ofNullable(icon), overrides);
  }

  static HookPolicy.Verdict apply(HookConfig hook, String json) {
    return HookPolicy.apply(hook, ChatMessage.fromJson(json));
  }

  static String posted(HookPolicy.Verdict v) {
    return ((HookPolicy.Verdict.Post) v).message().encode();
  }

  @Test
  void aHookWithoutSettingsPassesThePayloadUnchanged() {
    String json = "{\"text\":\"hi\",\"channel\":\"x\",\"username\":\"u\",\"icon_url\":\"https://i\"}";
    assertEquals(ChatMessage.fromJson(json).encode(), posted(apply(hook(null, null, null, true), json)));
  }

  @Test
  void aPinnedChannelIsWhereThePostGoesAndAnotherChannelIsRefused() {
    HookConfig pinned = hook("town-square", null, null, true);
    assertEquals("{\"text\":\"hi\",\"channel\":\"town-square\"}", posted(apply(pinned, "{\"text\":\"hi\"}")));
    assertEquals("{\"text\":\"hi\",\"channel\":\"town-square\"}",
        posted(apply(pinned, "{\"text\":\"hi\",\"channel\":\"#Town-Square\"}")), "the same channel, as Mattermost names it");
    assertEquals(new HookPolicy.Verdict.ChannelLocked("#other"), apply(pinned, "{\"text\":\"hi\",\"channel\":\"#other\"}"));
    assertEquals(new HookPolicy.Verdict.ChannelLocked("@alice"), apply(pinned, "{\"text\":\"hi\",\"channel\":\"@alice\"}"));
  }

  @Test
  void theHooksNameAndIconFillInWhatThePayloadLacks() {
    HookConfig named = hook(null, "alerts", "https://example.org/a.png", true);
    assertEquals("{\"text\":\"hi\",\"username\":\"alerts\",\"icon_url\":\"https://example.org/a.png\"}",
        posted(apply(named, "{\"text\":\"hi\"}")));
    assertEquals("{\"text\":\"hi\",\"username\":\"ci\",\"icon_url\":\"https://ci/i.png\"}",
        posted(apply(named, "{\"text\":\"hi\",\"username\":\"ci\",\"icon_url\":\"https://ci/i.png\"}")));
    assertEquals("{\"text\":\"hi\",\"icon_emoji\":\":robot:\",\"username\":\"alerts\"}",
        posted(apply(named, "{\"text\":\"hi\",\"icon_emoji\":\":robot:\"}")), "an emoji is the payload's icon");
  }

  @Test
  void withoutOverridesThePayloadsNameAndIconAreReplacedByTheHooks() {
    HookConfig strict = hook(null, "alerts", "https://example.org/a.png", false);
    assertEquals("{\"text\":\"hi\",\"username\":\"alerts\",\"icon_url\":\"https://example.org/a.png\"}",
        posted(apply(strict, "{\"text\":\"hi\",\"username\":\"ceo\",\"icon_url\":\"https://evil/i.png\",\"icon_emoji\":\":x:\"}")));
    assertEquals("{\"text\":\"hi\"}", posted(apply(hook(null, null, null, false), "{\"text\":\"hi\",\"username\":\"ceo\"}")),
        "no name of the hook's: the chat server's default");
  }
}
