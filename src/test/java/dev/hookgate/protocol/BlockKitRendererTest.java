package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookgate.Fixtures;
import org.junit.jupiter.api.Test;

/** Block Kit payloads as slack_sdk, Block Kit Builder and CI tools send them, rendered for Mattermost. */
class BlockKitRendererTest {

  private static ChatMessage render(String fixture) throws Exception {
    ChatMessage out = BlockKitRenderer.forMattermost(ChatMessage.fromJson(Fixtures.read("blockkit/" + fixture)));
    assertNull(out.field("blocks"), "no blocks left: Mattermost ignores them");
    assertTrue(BlockKitRenderer.showableOnMattermost(out));
    return out;
  }

  @Test
  void slackSdksWebhookExampleKeepsItsTextFirstThenTheSection() throws Exception {
    ChatMessage m = render("slack-sdk-webhook-send.json");
    assertEquals("fallback\n\nYou have a new request:\n"
        + "**[Fred Enriquez - New device request](fakeLink.toEmployeeProfile.com)**", m.text());
    assertTrue(m.attachments().isEmpty());
  }

  @Test
  void blockKitBuildersApprovalTemplateBecomesTextAndFieldsAndDropsButtonsWithoutALink() throws Exception {
    ChatMessage m = render("builder-approval.json");
    assertEquals("You have a new request:\n"
        + "**[Fred Enriquez - New device request](fakeLink.toEmployeeProfile.com)**", m.text());
    JsonNode fields = m.attachments().get(0).get("fields");
    assertEquals(5, fields.size());
    assertEquals("Type:", fields.get(0).get("title").asText());
    assertEquals("Computer (laptop)", fields.get(0).get("value").asText());
    assertEquals("Specs:", fields.get(4).get("title").asText());
    assertEquals("\"Cheetah Pro 15\" - Fast, really fast\"", fields.get(4).get("value").asText());
    assertTrue(fields.get(0).get("short").asBoolean());
    assertEquals(1, m.attachments().size(), "Approve and Deny have no URL: nothing to click on Mattermost");
  }

  @Test
  void aCiNotificationGetsAHeadingMentionsLinksARuleAndItsImage() throws Exception {
    ChatMessage m = render("ci-deploy.json");
    assertEquals("""
        Deploy of api succeeded

        #### Deploy succeeded :rocket:

        **api** deployed to `prod` by @alice for @here [View run](https://github.com/acme/api/actions/runs/42)

        acme  Commit [abc123](https://github.com/acme/api/commit/abc123) on ~~old~~ <main> in ~deploys

        ---""", m.text());
    JsonNode image = m.attachments().get(0);
    assertEquals("https://grafana.example.org/render/latency.png", image.get("image_url").asText());
    assertEquals("p99 latency", image.get("title").asText());
    assertEquals("latency graph", image.get("fallback").asText());
  }

  @Test
  void richTextBecomesMarkdownWithListsQuotesCodeAndMentions() throws Exception {
    ChatMessage m = render("rich-text.json");
    assertEquals("""
        Hello there, **I am a bold rich text block!** @U0123456 see [the docs](https://api.slack.com) :tada: @channel
        - Huddles
        - _Canvas_
        > What we need is good examples in our documentation.
        ```
        {
          "object": true
        }
        ```""", m.text());
  }

  @Test
  void blocksInsideAttachmentsAreRenderedIntoThem() throws Exception {
    ChatMessage m = render("attachment-blocks.json");
    assertEquals("Build failed", m.text());
    JsonNode first = m.attachments().get(0);
    assertEquals("#f2c744", first.get("color").asText());
    assertEquals("**Job** `test` failed on ~~main~~", first.get("text").asText());
    assertEquals("Runner:", first.get("fields").get(0).get("title").asText());
    assertEquals("ubuntu-22.04", first.get("fields").get(0).get("value").asText());
    assertEquals("12 min", first.get("fields").get(1).get("value").asText());
    assertEquals("https://ci.example.org/badge.png", first.get("image_url").asText());
    assertFalse(first.has("blocks"));
    assertEquals("previous build passed", m.attachments().get(1).get("text").asText());
  }

  @Test
  void aMessageWithoutBlocksIsLeftAsItIs() {
    ChatMessage plain = ChatMessage.fromJson("{\"text\":\"*not converted*\",\"attachments\":[{\"text\":\"x\"}]}");
    assertSame(plain, BlockKitRenderer.forMattermost(plain));
  }

  @Test
  void blocksWithNothingToShowLeaveAPostMattermostWouldRefuse() {
    ChatMessage m = BlockKitRenderer.forMattermost(ChatMessage.fromJson(
        "{\"blocks\":[{\"type\":\"input\",\"element\":{\"type\":\"plain_text_input\"}}]}"));
    assertFalse(BlockKitRenderer.showableOnMattermost(m));
  }
}
