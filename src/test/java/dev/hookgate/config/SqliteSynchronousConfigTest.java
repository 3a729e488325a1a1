package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqliteSynchronousConfigTest {
  @Test
  void fullByDefaultNormalOnRequestAnythingElseRefused() {
    assertEquals("full", ConfigLoader.resolve(new JsonObject(), Map.of()).store().sqliteSynchronous());
    assertEquals("normal", ConfigLoader.resolve(new JsonObject(), Map.of("HOOKGATE_STORE_SQLITE_SYNCHRONOUS", "normal"))
        .store().sqliteSynchronous());
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.resolve(
        new JsonObject().put("store", new JsonObject().put("sqlite-synchronous", "off")), Map.of()));
    assertEquals(List.of("store.sqlite-synchronous: \"off\" must be full or normal"), e.problems());
  }
}
