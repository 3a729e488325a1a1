package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code hooks.<name>}: channel, username, icon-url and allow-overrides. */
class HookConfigParserTest {
  static GatewayConfig parse(JsonObject hook) {
    return ConfigParser.parse(new JsonObject()
        .put("store", new JsonObject().put("path", "x.db"))
        .put("destinations", new JsonObject().put("ops", new JsonObject().put("url", "https://chat.example.org/hooks/x")))
        .put("hooks", new JsonObject().put("alerts", hook.put("key", "alertshookkey0123456789").put("destination", "ops"))));
  }

  @Test
  void aHookLeavesChannelNameAndIconToItsProducersUnlessTold() {
    assertEquals(new HookConfig("alerts", "alertshookkey0123456789", "ops", Duration.ZERO),
        parse(new JsonObject()).hooks().get("alerts"));
    HookConfig locked = parse(new JsonObject().put("channel", "town-square").put("username", "alerts")
        .put("icon-url", "https://example.org/a.png").put("allow-overrides", false)).hooks().get("alerts");
    assertEquals(Optional.of("town-square"), locked.channel());
    assertEquals(Optional.of("alerts"), locked.username());
    assertEquals(Optional.of("https://example.org/a.png"), locked.iconUrl());
    assertEquals(false, locked.allowOverrides());
  }

  @Test
  void anIconThatIsNotAnHttpUrlIsRefusedNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(new JsonObject().put("icon-url", "file:///etc/passwd")));
    assertTrue(String.join("\n", e.problems()).contains("hooks.alerts.icon-url: must be an http:// or https:// URL"),
        e.problems().toString());
  }
}
