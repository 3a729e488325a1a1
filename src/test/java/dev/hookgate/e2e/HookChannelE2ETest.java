package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One Mattermost incoming hook behind two hookgate hooks, each locked to its own channel, one with
 * its name and icon enforced: producers cannot post elsewhere or as someone else.
 */
class HookChannelE2ETest {
  static final String ALERTS = "alertshookkey0123456789";
  static final String CI = "cihookkey0123456789abcd";

  @Test
  void eachHookPostsToItsOwnChannelUnderItsNameAndRefusesAnotherChannelAsMattermostDoes() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start("""
        store: {path: "${DB}"}
        destinations:
          mm: {url: "%s", max-in-flight: 1}
        hooks:
          alerts:
            key: %s
            destination: mm
            channel: town-square
            username: alerts
            icon-url: https://example.org/alerts.png
            allow-overrides: false
          ci:
            key: %s
            destination: mm
            channel: builds
            username: ci
        """.formatted(chat.incomingHookUrl("onehook"), ALERTS, CI))) {
      HttpResponse<String> locked = gw.postJson("/hooks/" + ALERTS, "{\"text\":\"elsewhere\",\"channel\":\"#random\"}");
      assertEquals(403, locked.statusCode());
      JsonObject error = new JsonObject(locked.body());
      assertEquals("web.incoming_webhook.channel_locked.app_error", error.getString("id"));
      assertEquals("This webhook is not permitted to post to the requested channel.", error.getString("message"));
      assertEquals(403, error.getInteger("status_code"));

      assertEquals(200, gw.postJson("/hooks/" + ALERTS, "{\"text\":\"disk full\",\"username\":\"ceo\"}").statusCode());
      await("the alert", 10_000, () -> chat.posts().size() == 1);
      assertEquals(200, gw.postJson("/hooks/" + CI, "{\"text\":\"build green\",\"channel\":\"builds\"}").statusCode());
      await("the build", 10_000, () -> chat.posts().size() == 2);
      assertEquals(200, gw.postJson("/hooks/" + CI, "{\"text\":\"deploy done\",\"username\":\"deployer\"}").statusCode());
      await("the deploy", 10_000, () -> chat.posts().size() == 3);

      List<JsonObject> bodies = chat.posts().stream().map(FakeChatServer.Post::body).toList();
      JsonObject alert = bodies.get(0);
      assertEquals("disk full", alert.getString("text"));
      assertEquals("town-square", alert.getString("channel"));
      assertEquals("alerts", alert.getString("username"), "overrides off: the hook's name, not the payload's");
      assertEquals("https://example.org/alerts.png", alert.getString("icon_url"));
      assertEquals("builds", bodies.get(1).getString("channel"));
      assertEquals("ci", bodies.get(1).getString("username"), "no name in the payload: the hook's");
      assertNull(bodies.get(1).getString("icon_url"));
      assertEquals("builds", bodies.get(2).getString("channel"), "no channel in the payload: the pinned one");
      assertEquals("deployer", bodies.get(2).getString("username"), "overrides allowed: the payload's name");
      assertEquals(3, chat.posts().size(), "the refused post was never relayed");
    }
  }

  /**
   * Overrides off: keys Mattermost's decoder (Go's encoding/json: case-insensitive, Unicode folding)
   * reads as username, icon_url or icon_emoji are stripped however they are spelled, and so are the
   * props Mattermost reads as an override or a webhook mark; other props pass.
   */
  @Test
  void overridesOffStripEveryKeyMattermostFoldsToANameOrIconAndTheOverrideProps() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start("""
        store: {path: "${DB}"}
        destinations:
          mm: {url: "%s"}
        hooks:
          alerts: {key: %s, destination: mm, username: alerts, allow-overrides: false}
        """.formatted(chat.incomingHookUrl("onehook"), ALERTS))) {
      String payload = "{\"text\":\"disk full\",\"u\u017Fername\":\"ceo\",\"ICON_URL\":\"https://evil.example/a.png\","
          + "\"Icon_Emoji\":\"crown\",\"props\":{\"override_username\":\"ceo\","
          + "\"override_icon_url\":\"https://evil.example/a.png\",\"from_webhook\":\"false\",\"card\":\"kept\"}}";
      assertEquals(200, gw.postJson("/hooks/" + ALERTS, payload).statusCode());
      await("the alert", 10_000, () -> chat.posts().size() == 1);
      JsonObject post = chat.posts().get(0).body();
      for (String key : post.fieldNames()) {
        String folded = key.toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT);
        if (List.of("username", "icon_url", "icon_emoji").contains(folded)) {
          assertEquals(key, folded, "only the canonical key is left: " + post);
        }
      }
      assertEquals("alerts", post.getString("username"), post.encode());
      assertNull(post.getString("icon_url"), post.encode());
      assertNull(post.getString("icon_emoji"), post.encode());
      assertEquals(new JsonObject().put("card", "kept"), post.getJsonObject("props"), post.encode());
    }
  }
}
