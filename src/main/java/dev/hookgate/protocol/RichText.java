package dev.hookgate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Block Kit's {@code rich_text} as Markdown: sections, bullet and ordered lists (indented),
 * quotes, preformatted blocks; inline text with its styles, links, user, channel and group
 * mentions, broadcasts ({@code @here}), emoji and dates. Pure.
 */
final class RichText {
  private RichText() {}

  static String render(JsonNode elements) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : elements) {
      switch (e.path("type").asText()) {
        case "rich_text_section" -> out.add(inline(e.path("elements")));
        case "rich_text_list" -> {
          boolean ordered = e.path("style").asText().equals("ordered");
          String indent = "  ".repeat(Math.max(0, e.path("indent").asInt(0)));
          int n = e.path("offset").asInt(0);
          List<String> items = new ArrayList<>();
          for (JsonNode item : e.path("elements")) {
            items.add(indent + (ordered ? (++n) + ". " : "- ") + inline(item.path("elements")));
          }
          out.add(String.join("\n", items));
        }
        case "rich_text_quote" -> out.add("> " + inline(e.path("elements")).replace("\n", "\n> "));
        case "rich_text_preformatted" -> out.add("```\n" + plainInline(e.path("elements")) + "\n```");
        default -> { }
      }
    }
    return String.join("\n", out).strip();
  }

  private static String inline(JsonNode elements) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode e : elements) {
      String piece = switch (e.path("type").asText()) {
        case "text" -> styled(e.path("text").asText(), e.path("style"));
        case "link" -> {
          String url = e.path("url").asText();
          yield e.hasNonNull("text") ? styled("[" + e.get("text").asText() + "](" + url + ")", e.path("style")) : url;
        }
        case "user" -> "@" + e.path("user_id").asText();
        case "usergroup" -> "@" + e.path("usergroup_id").asText();
        case "channel" -> "~" + e.path("channel_id").asText();
        case "emoji" -> ":" + e.path("name").asText() + ":";
        case "broadcast" -> {
          String range = e.path("range").asText();
          yield range.equals("everyone") ? "@all" : "@" + range;
        }
        case "date" -> e.path("fallback").asText(e.path("timestamp").asText());
        default -> "";
      };
      sb.append(piece);
    }
    return sb.toString();
  }

  private static String plainInline(JsonNode elements) {
    StringBuilder sb = new StringBuilder();
    elements.forEach(e -> sb.append(e.path("type").asText().equals("link") ? e.path("url").asText()
        : e.path("text").asText()));
    return sb.toString();
  }

  /** Markdown around the text's non-blank core, so that "bold " stays "**bold** ". */
  private static String styled(String text, JsonNode style) {
    if (text.isBlank() || style.isMissingNode()) {
      return text;
    }
    int start = 0;
    int end = text.length();
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    String core = text.substring(start, end);
    if (style.path("code").asBoolean()) {
      core = "`" + core + "`";
    }
    if (style.path("strike").asBoolean()) {
      core = "~~" + core + "~~";
    }
    if (style.path("italic").asBoolean()) {
      core = "_" + core + "_";
    }
    if (style.path("bold").asBoolean()) {
      core = "**" + core + "**";
    }
    return text.substring(0, start) + core + text.substring(end);
  }
}
