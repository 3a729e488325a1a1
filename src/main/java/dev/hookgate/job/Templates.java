package dev.hookgate.job;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mustache (mustache.java) without HTML escaping: chat text is Markdown, not HTML. Compiled
 * templates are cached by their source text.
 */
public final class Templates {
  private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  };
  private static final Map<String, Mustache> CACHE = new ConcurrentHashMap<>();

  private Templates() {}

  public static String render(String template, Map<String, ?> scope) {
    Mustache m = CACHE.computeIfAbsent(template, t -> FACTORY.compile(new StringReader(t), "t" + t.hashCode()));
    StringWriter out = new StringWriter();
    m.execute(out, scope);
    return out.toString();
  }

  /** Throws IllegalArgumentException when the template does not compile. */
  public static void check(String template) {
    try {
      FACTORY.compile(new StringReader(template), "check");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
