package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The SQLite file deleted under a running gateway: what it would store from then on goes to an
 * unlinked file, lost at the next start. Hooks and commands answer 503 (the producer keeps its message
 * and retries), not 200, and /health says why.
 */
class StoreGoneE2ETest {
  static final String KEY = "storegonehookkey01234567";

  @Test
  void aDeletedStoreFileIsRefusedNotWrittenInto() throws Exception {
    try (TestGateway gw = TestGateway.start("""
        store: {path: "${DB}"}
        destinations:
          ops: {url: "http://127.0.0.1:9/hooks/x"}
        hooks:
          alerts: {key: %s, destination: ops}
        """.formatted(KEY))) {
      assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"before\"}").statusCode());
      Files.delete(gw.dir().resolve("hookgate.db"));
      HttpResponse<String> after = gw.postJson("/hooks/" + KEY, "{\"text\":\"after\"}");
      assertEquals(503, after.statusCode(), after.body());
      HttpResponse<String> health = gw.get("/health");
      assertEquals(503, health.statusCode());
      assertTrue(health.body().contains("the store refused a write"), health.body());
    }
  }
}
