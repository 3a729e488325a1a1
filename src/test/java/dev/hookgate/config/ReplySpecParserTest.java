package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code commands.<name>.reply.attachments|blocks|props}: kept as written, checked for their shape. */
class ReplySpecParserTest {
  static JsonObject config(String reply) {
    return new JsonObject("""
        {"security": {"allow-short-secrets": true},
         "commands": {"deploy": {"token": "t", "job": {"template": "x"}, "reply": %s}}}
        """.formatted(reply));
  }

  @Test
  void richContentIsKeptAsWrittenWithItsTemplates() {
    ReplySpec reply = ConfigParser.parse(config("""
        {"attachments": [{"title": "{{output}}", "fields": [{"value": "{{text}}", "short": true}]}],
         "blocks": [{"type": "divider"}], "props": {"card": "{{job_id}}"}}
        """)).commands().get("deploy").reply();
    assertEquals(Map.of(
        "attachments", List.of(Map.of("title", "{{output}}", "fields", List.of(Map.of("value", "{{text}}", "short", true)))),
        "blocks", List.of(Map.of("type", "divider")),
        "props", Map.of("card", "{{job_id}}")), reply.rich());
  }

  @Test
  void aTextReplyHasNoRichContent() {
    assertEquals(Map.of(), ConfigParser.parse(config("{\"template\": \"{{output}}\"}")).commands().get("deploy")
        .reply().rich());
  }

  @Test
  void aWrongShapeIsRefusedNamingTheKey() {
    List<String> problems = assertThrows(ConfigException.class, () -> ConfigParser.parse(config("""
        {"attachments": {"title": "x"}, "blocks": "text", "props": ["a"]}
        """))).problems();
    assertEquals(List.of("commands.deploy.reply.attachments: must be a list",
        "commands.deploy.reply.blocks: must be a list", "commands.deploy.reply.props: must be a mapping"),
        problems.stream().sorted().toList());
  }
}
