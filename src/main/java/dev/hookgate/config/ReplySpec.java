package dev.hookgate.config;

import java.util.Map;
import java.util.Optional;

/**
 * {@code commands.<name>.reply}: how a job's result is posted. {@code template} is Mustache over
 * the command's fields and the job's result; {@code fallback} names the destination used once the
 * response_url is spent or expired. {@code rich}: the reply's {@code attachments}, {@code blocks}
 * and {@code props} as written in the config (plain lists and maps), whose text leaves are
 * templates over the same values as {@code template}.
 */
public record ReplySpec(
    String responseType,
    Optional<String> template,
    Optional<String> fallback,
    Optional<String> username,
    Optional<String> iconUrl,
    Map<String, Object> rich) {

  /** The keys of a reply that carry rich content, with the JSON shape each must have. */
  public static final Map<String, Class<?>> RICH_KEYS = Map.of("attachments", java.util.List.class,
      "blocks", java.util.List.class, "props", Map.class);

  public ReplySpec {
    rich = Map.copyOf(rich);
  }

  /** A text-only reply. */
  public ReplySpec(String responseType, Optional<String> template, Optional<String> fallback,
      Optional<String> username, Optional<String> iconUrl) {
    this(responseType, template, fallback, username, iconUrl, Map.of());
  }
}
