package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code log.format: json}: every line the fat jar prints is one JSON object. */
class JsonLogIT {
  @TempDir Path dir;

  @Test
  void everyLineIsAJsonObjectWithTheMessage() throws Exception {
    Path config = dir.resolve("hookgate.yaml");
    Files.writeString(config, "store: {path: data/hookgate.db}\nlog: {format: json}\n");
    try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
      assertEquals(400, gw.postJson("/hooks/nosuchkey0123456789", "{\"text\":\"x\"}").statusCode());
      gw.terminate();
      List<String> lines = gw.output().lines().filter(l -> !l.isBlank()).toList();
      assertTrue(lines.size() >= 2, String.join("\n", lines));
      for (String line : lines) {
        JsonObject json = new JsonObject(line);
        assertTrue(json.containsKey("level") && json.containsKey("formattedMessage"), line);
      }
      assertTrue(lines.stream().anyMatch(l -> l.contains("hookgate listening on")));
    }
  }
}
