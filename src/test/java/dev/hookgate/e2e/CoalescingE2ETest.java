package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Two hooks on one destination: one hook's coalescing window delays only its own messages. */
class CoalescingE2ETest {
  private static final String SLOW = "slowhookkey0123456789abcd";
  private static final String FAST = "fasthookkey0123456789abcd";

  @Test
  void aHooksWindowDelaysOnlyThatHookAndMergesItsMessages() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      String yaml = """
          store: {path: "${DB}"}
          destinations:
            ops: {url: "%s"}
          hooks:
            digest: {key: %s, destination: ops, coalesce: 4s}
            alerts: {key: %s, destination: ops}
          """.formatted(chat.incomingHookUrl("opsid"), SLOW, FAST);
      try (TestGateway gw = TestGateway.start(yaml)) {
        assertEquals(200, gw.postJson("/hooks/" + SLOW, "{\"text\": \"digest 1\"}").statusCode());
        assertEquals(200, gw.postJson("/hooks/" + SLOW, "{\"text\": \"digest 2\"}").statusCode());
        assertEquals(200, gw.postJson("/hooks/" + FAST, "{\"text\": \"alert\"}").statusCode());
        await("the alert, then the digest", 20_000, () -> chat.posts().size() >= 2);
        List<String> posts = chat.posts().stream().map(FakeChatServer.Post::text).toList();
        assertEquals(List.of("alert", "digest 1\ndigest 2"), posts,
            "the alert did not wait for the digest's window; the digest's messages were merged");
      }
    }
  }

  @Test
  void coalesceFalseKeepsEachMessageItsOwnPostEvenInABacklog() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      String yaml = """
          store: {path: "${DB}"}
          destinations:
            ops: {url: "%s", rate-per-second: 2, burst: 1, coalesce: false}
          hooks:
            alerts: {key: %s, destination: ops}
          """.formatted(chat.incomingHookUrl("opsid"), FAST);
      try (TestGateway gw = TestGateway.start(yaml)) {
        for (int i = 0; i < 4; i++) {
          assertEquals(200, gw.postJson("/hooks/" + FAST, "{\"text\": \"group " + i + "\"}").statusCode());
        }
        await("four posts", 20_000, () -> chat.posts().size() >= 4);
        assertEquals(List.of("group 0", "group 1", "group 2", "group 3"),
            chat.posts().stream().map(FakeChatServer.Post::text).toList());
      }
    }
  }
}
