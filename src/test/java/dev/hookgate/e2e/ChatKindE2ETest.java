package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.Fixtures;
import dev.hookgate.protocol.SlackSignature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each chat server gets what it renders, over HTTP: Block Kit toward a Mattermost destination is
 * rendered (the fake Mattermost refuses a post without text), toward a Slack one passed unchanged;
 * a post Mattermost would refuse is not sent; a command's reply follows its chat server.
 */
class ChatKindE2ETest {
  private static final String MM_KEY = "mmhookkey0123456789abcdef";
  private static final String SLACK_KEY = "slackhookkey0123456789abc";
  private static final String TOKEN = "kindtoken0123456789abcdef";
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

  private static String yaml(FakeChatServer chat) {
    return """
        store: {path: "${DB}"}
        response-url: {allowed-hosts: ["http://127.0.0.1:%1$d"]}
        destinations:
          mm: {url: "%2$s"}
          sl: {url: "%3$s", kind: slack}
        hooks:
          mmhook: {key: %4$s, destination: mm}
          slhook: {key: %5$s, destination: sl}
        commands:
          mmcmd:
            token: %6$s
            job: {template: "done"}
            reply:
              blocks:
                - {type: section, text: {type: mrkdwn, text: "*{{output}}* for <!here>"}}
          slcmd:
            slack-signing-secret: %7$s
            job: {template: "done"}
            reply:
              blocks:
                - {type: section, text: {type: mrkdwn, text: "*{{output}}* for <!here>"}}
        """.formatted(chat.port(), chat.incomingHookUrl("mm"), chat.incomingHookUrl("sl"), MM_KEY, SLACK_KEY, TOKEN,
        SECRET);
  }

  @Test
  void blockKitIsRenderedForMattermostAndPassedUnchangedToSlack() throws Exception {
    String approval = Fixtures.read("blockkit/builder-approval.json");
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(yaml(chat))) {
      assertEquals(200, gw.postJson("/hooks/" + MM_KEY, approval).statusCode());
      await("the Mattermost post", 10_000, () -> chat.postsTo("/hooks/mm").size() == 1);
      JsonObject mm = chat.postsTo("/hooks/mm").get(0).body();
      assertEquals("You have a new request:\n**[Fred Enriquez - New device request](fakeLink.toEmployeeProfile.com)**",
          mm.getString("text"));
      assertNull(mm.getValue("blocks"));
      JsonArray fields = mm.getJsonArray("attachments").getJsonObject(0).getJsonArray("fields");
      assertEquals(new JsonObject().put("title", "Type:").put("value", "Computer (laptop)").put("short", true),
          fields.getJsonObject(0));

      chat.acceptBlocksLikeSlack();
      assertEquals(200, gw.postJson("/hooks/" + SLACK_KEY, approval).statusCode());
      await("the Slack post", 10_000, () -> chat.postsTo("/hooks/sl").size() == 1);
      assertEquals(new JsonObject(approval), chat.postsTo("/hooks/sl").get(0).body());
    }
  }

  @Test
  void aPostMattermostWouldRefuseIsNotSent() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(yaml(chat))) {
      String nothing = "{\"blocks\":[{\"type\":\"input\",\"element\":{\"type\":\"plain_text_input\"},"
          + "\"label\":{\"type\":\"plain_text\",\"text\":\"Name\"}}]}";
      assertEquals(200, gw.postJson("/hooks/" + MM_KEY, nothing).statusCode());
      assertEquals(200, gw.postJson("/hooks/" + MM_KEY, "{\"text\":\"after it\"}").statusCode());
      await("the message after it", 10_000, () -> chat.postsTo("/hooks/mm").size() == 1);
      assertEquals("after it", chat.postsTo("/hooks/mm").get(0).text());
      assertEquals(1, chat.requestTimes().size(), "the first was never sent, so never refused");
    }
  }

  @Test
  void aCommandsReplyFollowsTheChatServerTheCommandCameFrom() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start(); TestGateway gw = TestGateway.start(yaml(chat))) {
      String mmUrl = chat.issueResponseUrl();
      assertEquals(200, gw.postForm("/commands/mmcmd", "token=" + TOKEN + "&command=%2Fmmcmd&user_name=a&user_id=u1"
          + "&channel_id=c1&response_url=" + URLEncoder.encode(mmUrl, StandardCharsets.UTF_8)).statusCode());
      String slUrl = chat.issueResponseUrl();
      String body = "team_id=T1&channel_id=C1&user_id=U1&user_name=rr&command=%2Fslcmd&text="
          + "&response_url=" + URLEncoder.encode(slUrl, StandardCharsets.UTF_8);
      long ts = System.currentTimeMillis() / 1000;
      assertEquals(200, gw.postForm("/commands/slcmd", body, "X-Slack-Request-Timestamp", String.valueOf(ts),
          "X-Slack-Signature", SlackSignature.sign(SECRET, String.valueOf(ts), body.getBytes(StandardCharsets.UTF_8)))
          .statusCode());
      await("both replies", 10_000, () -> List.of(mmUrl, slUrl).stream()
          .allMatch(u -> chat.postsTo(u.substring(u.indexOf("/hooks/"))).size() == 1));
      JsonObject mm = chat.postsTo(mmUrl.substring(mmUrl.indexOf("/hooks/"))).get(0).body();
      assertTrue(mm.getString("text").endsWith("**done** for @here"), mm.encode());
      assertFalse(mm.containsKey("blocks"));
      JsonObject sl = chat.postsTo(slUrl.substring(slUrl.indexOf("/hooks/"))).get(0).body();
      assertEquals("*done* for <!here>", sl.getJsonArray("blocks").getJsonObject(0).getJsonObject("text")
          .getString("text"));
    }
  }
}
