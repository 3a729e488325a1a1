package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, a job that prints a progress line and ends at once: the progress update is stored
 * before the result and reaches the chat first, for every job of a burst (the update is stored on
 * the job's context, and the result waits for it).
 */
class ProgressOrderPgE2ETest {
  static final String TOKEN = "progressordertoken012345";

  @Test
  void theProgressUpdateOfAJobThatEndsAtOnceReachesTheChatBeforeItsResult() throws Exception {
    try (PgTestDatabase db = PgTestDatabase.create("ProgressOrderPgE2ETest");
        FakeChatServer chat = FakeChatServer.start();
        TestGateway gw = TestGateway.start("""
            store: {kind: postgres, postgres: {uri: "%s"}}
            response-url: {allowed-hosts: ["http://127.0.0.1:%d"]}
            commands:
              quick:
                token: %s
                concurrency: 8
                job: {exec: [sh, -c, "echo '::progress working on it'; echo done"]}
            """.formatted(db.uri(), chat.port(), TOKEN))) {
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String url = chat.issueResponseUrl();
        urls.add(url);
        assertEquals(200, gw.postForm("/commands/quick", "token=" + TOKEN + "&command=%2Fquick&text=" + i
            + "&user_id=u1&channel_id=c1&response_url=" + URLEncoder.encode(url, StandardCharsets.UTF_8))
            .statusCode());
      }
      for (String url : urls) {
        String path = url.substring(url.indexOf("/hooks/"));
        await("two posts on " + path, 20_000, () -> chat.postsTo(path).size() == 2);
        List<FakeChatServer.Post> posts = chat.postsTo(path);
        assertEquals(List.of("working on it", "done"), List.of(posts.get(0).text(), posts.get(1).text()));
        assertEquals("ephemeral", posts.get(0).body().getString("response_type"));
      }
    }
  }
}
