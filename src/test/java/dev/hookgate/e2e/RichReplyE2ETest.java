package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A command whose reply carries templated attachments, blocks and props: the chat server receives
 * them as JSON, rendered over the command and the result, at the response_url and, once the
 * response_url has expired, at the command's fallback hook.
 */
class RichReplyE2ETest {
  static final String TOKEN = "richreplytoken0123456789";
  static FakeChatServer chat;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    chat = FakeChatServer.start();
    gw = TestGateway.start("""
        store: {path: "${DB}"}
        response-url: {allowed-hosts: ["http://127.0.0.1:%1$d"]}
        delivery: {backoff: [100ms]}
        destinations:
          ops: {url: "%2$s", rate-per-second: 100, burst: 100}
        commands:
          deploy:
            token: %3$s
            ack: "Deploying, job {{job_id}}."
            job: {template: "deployed {{text}}"}
            reply:
              template: "Deploy of *{{text}}* by @{{user_name}}"
              fallback: ops
              attachments:
                - color: "#36a64f"
                  title: "{{output}}"
                  fields:
                    - {title: Service, value: "{{text}}", short: true}
                    - {title: By, value: "{{user_name}}", short: true}
              blocks:
                - type: section
                  text: {type: mrkdwn, text: "*{{output}}*"}
              props:
                card: "job {{job_id}}: {{output}}"
                attempt: 1
        """.formatted(chat.port(), chat.incomingHookUrl("opshook"), TOKEN));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    chat.close();
  }

  static String form(String text, String responseUrl) {
    return "token=" + TOKEN + "&command=%2Fdeploy&text=" + text + "&user_name=alice&user_id=u1&channel_id=c1"
        + "&response_url=" + java.net.URLEncoder.encode(responseUrl, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The reply as a Mattermost command gets it: its blocks rendered after its text (Mattermost ignores blocks). */
  static JsonObject expected(String service, String jobId) {
    return new JsonObject()
        .put("text", "Deploy of *" + service + "* by @alice\n\n**deployed " + service + "**")
        .put("attachments", new JsonArray().add(new JsonObject().put("color", "#36a64f")
            .put("title", "deployed " + service)
            .put("fields", new JsonArray()
                .add(new JsonObject().put("title", "Service").put("value", service).put("short", true))
                .add(new JsonObject().put("title", "By").put("value", "alice").put("short", true)))))
        .put("props", new JsonObject().put("card", "job " + jobId + ": deployed " + service).put("attempt", 1));
  }

  /** The job id, from the ack ("Deploying, job <id>."). */
  static String jobId(java.net.http.HttpResponse<String> ack) {
    assertEquals(200, ack.statusCode(), ack.body());
    String text = new JsonObject(ack.body()).getString("text");
    return text.substring(text.indexOf("job ") + 4, text.length() - 1);
  }

  @Test
  void attachmentsBlocksAndPropsReachTheResponseUrlRendered() throws Exception {
    String url = chat.issueResponseUrl();
    String jobId = jobId(gw.postForm("/commands/deploy", form("api", url)));
    String path = url.substring(url.indexOf("/hooks/"));
    await("the reply", 10_000, () -> chat.postsTo(path).size() == 1);
    JsonObject body = chat.postsTo(path).get(0).body();
    assertEquals(expected("api", jobId).put("response_type", "in_channel"), body, body.encodePrettily());
  }

  @Test
  void theSameRichReplyReachesTheFallbackHookWhenTheResponseUrlHasExpired() throws Exception {
    String url = chat.issueResponseUrl();
    chat.expire(url);
    String jobId = jobId(gw.postForm("/commands/deploy", form("web", url)));
    await("the reply at the fallback hook", 10_000, () -> !chat.postsTo("/hooks/opshook").isEmpty());
    JsonObject body = chat.postsTo("/hooks/opshook").get(0).body();
    // the same message (the delivery keeps its response_type, which an incoming hook ignores)
    assertEquals(expected("web", jobId).put("response_type", "in_channel"), body, body.encodePrettily());
  }
}
