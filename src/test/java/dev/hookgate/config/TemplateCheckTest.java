package dev.hookgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateCheckTest {
  static List<String> problems(String yaml) {
    try {
      ConfigParser.parse(new JsonObject(new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(yaml)));
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  @Test
  void aTemplateThatCannotCompileIsAProblemNamingItsKey() {
    List<String> problems = problems("""
        destinations: {ops: {url: "https://team.example.org/hooks/x"}}
        commands:
          a: {token: a-token-0123456789ab, ack: "{{#user_name}}hi", job: {template: "{{#text}}x"},
              reply: {template: "{{#output}}", attachments: [{title: "{{^x}}"}]}}
          b: {token: b-token-0123456789ab, job: {exec: [echo, "{{#text}}"], env: {A: "{{/x}}"}}}
          c: {token: c-token-0123456789ab, job: {http: {url: "https://a.example.org/{{#q}}", body: "{{#b}}"}}}
        schedules:
          d: {cron: "0 9 * * *", destination: ops, job: {template: "{{#x}}"}}
        """);
    List<String> keys = List.of("commands.a.ack", "commands.a.job.template", "commands.a.reply.template",
        "commands.a.reply.attachments[0].title", "commands.b.job.exec[1]", "commands.b.job.env.A",
        "commands.c.job.http.url", "commands.c.job.http.body", "schedules.d.job.template");
    assertEquals(keys.size(), problems.size(), problems.toString());
    keys.forEach(k -> assertTrue(problems.stream().anyMatch(p -> p.startsWith(k + ": is not a valid Mustache template")),
        k + " in " + problems));
  }

  @Test
  void validTemplatesPass() {
    assertEquals(List.of(), problems("""
        commands:
          a: {token: a-token-0123456789ab, job: {template: "{{#text}}{{text}}{{/text}}{{^text}}none{{/text}}"},
              reply: {template: "{{{output}}}"}}
        """));
  }
}
