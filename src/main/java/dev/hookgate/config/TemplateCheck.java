package dev.hookgate.config;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every template of the config compiled at load (a command's ack, its job's template, exec arguments
 * and environment, HTTP url, headers and body, its reply's template and rich content), so that a
 * template that cannot compile (an unclosed {@code {{#section}}}) is a config problem naming its key,
 * not a failure of every run of the command.
 */
final class TemplateCheck {
  private TemplateCheck() {}

  static List<String> problems(GatewayConfig config) {
    List<String> problems = new ArrayList<>();
    config.commands().values().forEach(c -> command(problems, "commands." + c.name(), c, true));
    config.schedules().values().forEach(s -> command(problems, "schedules." + s.name(), s.job(), false));
    return problems;
  }

  private static void command(List<String> problems, String key, CommandConfig c, boolean ack) {
    if (ack) {
      check(problems, key + ".ack", c.ack());
    }
    String job = key + ".job";
    if (c.job() instanceof JobSpec.Template t) {
      check(problems, job + ".template", t.template());
    } else if (c.job() instanceof JobSpec.Exec e) {
      for (int i = 0; i < e.argv().size(); i++) {
        check(problems, job + ".exec[" + i + "]", e.argv().get(i));
      }
      e.env().forEach((k, v) -> check(problems, job + ".env." + k, v));
    } else if (c.job() instanceof JobSpec.Http h) {
      check(problems, job + ".http.url", h.url());
      h.headers().forEach((k, v) -> check(problems, job + ".http.headers." + k, v));
      check(problems, job + ".http.body", h.body());
    }
    c.reply().template().ifPresent(t -> check(problems, key + ".reply.template", t));
    c.reply().rich().forEach((k, v) -> tree(problems, key + ".reply." + k, v));
  }

  private static void tree(List<String> problems, String key, Object tree) {
    if (tree instanceof Map<?, ?> map) {
      map.forEach((k, v) -> tree(problems, key + "." + k, v));
    } else if (tree instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        tree(problems, key + "[" + i + "]", list.get(i));
      }
    } else if (tree instanceof String s) {
      check(problems, key, s);
    }
  }

  private static void check(List<String> problems, String key, String template) {
    if (!template.contains("{{")) {
      return;
    }
    try {
      new DefaultMustacheFactory().compile(new StringReader(template), key);
    } catch (MustacheException e) {
      problems.add(key + ": is not a valid Mustache template: " + e.getMessage().replace('\n', ' '));
    }
  }
}
