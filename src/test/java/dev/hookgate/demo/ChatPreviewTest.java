package dev.hookgate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo's chat preview answers as Mattermost does, and lists what it accepted. */
@ExtendWith(VertxExtension.class)
class ChatPreviewTest {
  static HttpResponse<Buffer> post(WebClient client, int port, String path, String body) throws Exception {
    return client.post(port, "127.0.0.1", path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  @Test
  void responseUrlHasFiveUsesAndHooksNeedTextAndLimitedHooksAnswer429(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    int port = new ChatPreview(Set.of("floods")).listen(vertx, 0).await(10, TimeUnit.SECONDS).actualPort();
    WebClient client = WebClient.create(vertx);
    for (int i = 0; i < 5; i++) {
      assertEquals(200, post(client, port, "/hooks/commands/abc", "{\"text\":\"use " + i + "\"}").statusCode());
    }
    HttpResponse<Buffer> sixth = post(client, port, "/hooks/commands/abc", "{\"text\":\"use 6\"}");
    assertEquals(400, sixth.statusCode());
    assertEquals("Invalid webhook.", sixth.bodyAsJsonObject().getString("message"));
    assertEquals(400, post(client, port, "/hooks/commands/other", "{not json").statusCode());

    HttpResponse<Buffer> noText = post(client, port, "/hooks/town-square", "{\"username\":\"x\"}");
    assertEquals(400, noText.statusCode());
    assertEquals("No text specified.", noText.bodyAsJsonObject().getString("message"));
    assertEquals(200, post(client, port, "/hooks/town-square", "{\"text\":\"hello\",\"channel\":\"#ops\"}").statusCode());

    assertEquals(200, post(client, port, "/hooks/floods", "{\"text\":\"first\"}").statusCode());
    HttpResponse<Buffer> limited = post(client, port, "/hooks/floods", "{\"text\":\"second\"}");
    assertEquals(429, limited.statusCode());
    assertEquals("1", limited.getHeader("Retry-After"));

    JsonArray posts = client.get(port, "127.0.0.1", "/posts?after=5").send().await(10, TimeUnit.SECONDS).bodyAsJsonArray();
    assertEquals(2, posts.size(), posts.encode()); // after the five response_url posts: hello, first
    JsonObject hello = posts.getJsonObject(0);
    assertEquals("ops", hello.getString("channel"));
    assertEquals("hello", hello.getString("text"));
    assertEquals("floods", posts.getJsonObject(1).getString("channel"));
    assertEquals(200, client.get(port, "127.0.0.1", "/").send().await(10, TimeUnit.SECONDS).statusCode());
    ctx.completeNow();
  }
}
