package dev.hookgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class SafeTextTest {
  static final String URL = "https://chat.example.org/hooks/commands/s3kfq1w9bjfgfxz8ud5r7hyx1c?api_key=supersecretkey1";

  @Test
  void failuresAreNamedByKindNotByTheirMessage() {
    assertEquals("timed out", SafeText.failure(new TimeoutException(
        "The timeout period of 10000ms has been exceeded while executing POST /hooks/commands/s3kfq1w9bjfgfxz8ud5r7hyx1c")));
    assertEquals("connection refused or unreachable", SafeText.failure(new ConnectException("Connection refused: x")));
    assertEquals("request failed (IllegalStateException)", SafeText.failure(new IllegalStateException("/hooks/secret")));
  }

  @Test
  void errorBodiesHaveTheUrlsSecretsMasked() {
    String body = "{\"message\":\"Failed to handle command webhook s3kfq1w9bjfgfxz8ud5r7hyx1c. key supersecretkey1\"}";
    String safe = SafeText.scrub(body, URL);
    assertFalse(safe.contains("s3kfq1w9bjfgfxz8ud5r7hyx1c") || safe.contains("supersecretkey1"), safe);
    assertEquals("{\"message\":\"Failed to handle command webhook …. key …\"}", safe);
  }
}
