package dev.hookgate.job;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Mustache (mustache.java), escaping {@code {{value}}} for where the text goes: nothing for chat
 * text (Markdown, not HTML) and argv; URL encoding inside an HTTP job's URL; JSON string escaping
 * inside a JSON body — so that a user's text cannot add query parameters or break a body.
 * {@code {{{value}}}} inserts a value as it is. Compiled templates are cached by source text.
 */
public final class Templates {
  /** Where a rendered template goes. */
  public enum Escape {
    NONE(v -> v),
    URL(v -> URLEncoder.encode(v, StandardCharsets.UTF_8)),
    JSON(v -> new String(JsonStringEncoder.getInstance().quoteAsString(v)));

    private final DefaultMustacheFactory factory;
    private final Map<String, Mustache> cache = new ConcurrentHashMap<>();

    Escape(UnaryOperator<String> escape) {
      this.factory = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
          try {
            writer.write(escape.apply(value));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };
    }
  }

  private Templates() {}

  public static String render(String template, Map<String, ?> scope) {
    return render(template, scope, Escape.NONE);
  }

  public static String render(String template, Map<String, ?> scope, Escape escape) {
    Mustache m = escape.cache.computeIfAbsent(template,
        t -> escape.factory.compile(new StringReader(t), "t" + t.hashCode()));
    StringWriter out = new StringWriter();
    m.execute(out, scope);
    return out.toString();
  }

  /**
   * A structure of lists and maps whose text leaves are templates (a reply's attachments, blocks,
   * props): each text leaf rendered, keys and other values kept as they are.
   */
  public static Object renderTree(Object tree, Map<String, ?> scope) {
    if (tree instanceof Map<?, ?> map) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), renderTree(v, scope)));
      return out;
    }
    if (tree instanceof java.util.List<?> list) {
      java.util.List<Object> out = new java.util.ArrayList<>();
      list.forEach(v -> out.add(renderTree(v, scope)));
      return out;
    }
    return tree instanceof String s ? render(s, scope) : tree;
  }
}
