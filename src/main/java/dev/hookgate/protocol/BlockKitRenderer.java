package dev.hookgate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Slack's Block Kit as Mattermost shows it (Mattermost ignores {@code blocks}, and refuses a post
 * without text or attachments). Pure. The original {@code text} comes first; then, block by block:
 * {@code section}, {@code header} (a heading), {@code context}, {@code rich_text} as Markdown
 * ({@link SlackMarkdown}); {@code divider} as a rule; buttons of {@code actions} (and a section's
 * button) as links; {@code video} as a link; a section's {@code fields} as attachment fields;
 * {@code image} blocks as attachment images. Blocks inside attachments are rendered into those
 * attachments. Interactive elements without a URL (selects, inputs) have nothing to show and are
 * left out. A message without blocks is returned as it is.
 */
public final class BlockKitRenderer {
  private BlockKitRenderer() {}

  /** What a block list renders to: paragraphs of Markdown, attachment fields, image attachments. */
  private record Rendered(List<String> paragraphs, ArrayNode fields, List<ObjectNode> images) {
    Rendered() {
      this(new ArrayList<>(), ChatJson.MAPPER.createArrayNode(), new ArrayList<>());
    }
  }

  /** The message as Mattermost can show it; the same message when it has no blocks anywhere. */
  public static ChatMessage forMattermost(ChatMessage message) {
    if (!message.hasAnywhere("blocks")) {
      return message;
    }
    JsonNode blocks = message.field("blocks");
    ArrayNode attachments = message.attachments();
    ArrayNode out = ChatJson.MAPPER.createArrayNode();
    ChatMessage result = message.withField("blocks", null);
    if (blocks != null) {
      Rendered r = render(blocks);
      List<String> parts = new ArrayList<>();
      if (!message.text().isBlank()) {
        parts.add(message.text());
      }
      parts.addAll(r.paragraphs());
      result = result.withText(String.join("\n\n", parts));
      if (!r.fields().isEmpty()) {
        out.add(ChatJson.object().set("fields", r.fields()));
      }
      r.images().forEach(out::add);
    }
    for (JsonNode a : attachments) {
      if (!(a instanceof ObjectNode att) || !att.has("blocks")) {
        out.add(a);
        continue;
      }
      Rendered r = render(att.remove("blocks"));
      List<String> parts = new ArrayList<>();
      if (att.hasNonNull("text") && !att.get("text").asText().isBlank()) {
        parts.add(att.get("text").asText());
      }
      parts.addAll(r.paragraphs());
      if (!parts.isEmpty()) {
        att.put("text", String.join("\n\n", parts));
      }
      if (!r.fields().isEmpty()) {
        ArrayNode fields = att.get("fields") instanceof ArrayNode f ? f : att.putArray("fields");
        fields.addAll(r.fields());
      }
      List<ObjectNode> images = new ArrayList<>(r.images());
      if (!images.isEmpty() && !att.hasNonNull("image_url")) {
        att.set("image_url", images.remove(0).get("image_url"));
      }
      out.add(att);
      images.forEach(out::add);
    }
    return result.withAttachments(out);
  }

  /** Whether Mattermost takes the post: it needs some text or an attachment. */
  public static boolean showableOnMattermost(ChatMessage message) {
    return !message.text().isBlank() || message.field("attachments") instanceof ArrayNode a && !a.isEmpty();
  }

  private static Rendered render(JsonNode blocks) {
    Rendered r = new Rendered();
    if (blocks == null || !blocks.isArray()) {
      return r;
    }
    for (JsonNode b : blocks) {
      switch (b.path("type").asText()) {
        case "header" -> add(r, "#### " + SlackMarkdown.plain(b.path("text").path("text").asText()).strip());
        case "section" -> section(b, r);
        case "context" -> {
          List<String> parts = new ArrayList<>();
          b.path("elements").forEach(e -> {
            if (e.has("text")) {
              parts.add(textObject(e));
            } else if (e.path("type").asText().equals("image") && e.hasNonNull("alt_text")) {
              parts.add(e.get("alt_text").asText());
            }
          });
          add(r, String.join("  ", parts));
        }
        case "divider" -> r.paragraphs().add("---");
        case "image" -> {
          ObjectNode img = ChatJson.object().put("image_url", b.path("image_url").asText());
          if (b.has("title")) {
            img.put("title", SlackMarkdown.plain(b.path("title").path("text").asText()));
          }
          if (b.has("alt_text")) {
            img.put("fallback", b.get("alt_text").asText());
          }
          if (!b.path("image_url").asText().isEmpty()) {
            r.images().add(img);
          }
        }
        case "actions" -> {
          List<String> links = new ArrayList<>();
          b.path("elements").forEach(e -> button(e).ifPresent(links::add));
          add(r, String.join(" · ", links));
        }
        case "rich_text" -> add(r, RichText.render(b.path("elements")));
        case "video" -> {
          String url = b.path("title_url").asText(b.path("video_url").asText());
          add(r, "[" + SlackMarkdown.plain(b.path("title").path("text").asText(url)) + "](" + url + ")");
        }
        default -> { } // input, file and unknown blocks show nothing on Mattermost
      }
    }
    return r;
  }

  private static void section(JsonNode b, Rendered r) {
    String text = b.has("text") ? textObject(b.get("text")) : "";
    JsonNode accessory = b.path("accessory");
    String link = button(accessory).orElse("");
    add(r, (text + (link.isEmpty() ? "" : (text.isEmpty() ? "" : " ") + link)).strip());
    b.path("fields").forEach(f -> {
      String value = textObject(f);
      ObjectNode field = ChatJson.object();
      // "*Type:*\nComputer": the bold first line is the field's title, as Slack's examples write them
      int nl = value.indexOf('\n');
      String first = nl < 0 ? "" : value.substring(0, nl).strip();
      if (first.startsWith("**") && first.endsWith("**") && first.length() > 4) {
        field.put("title", first.substring(2, first.length() - 2));
        field.put("value", value.substring(nl + 1).strip());
      } else {
        field.put("title", "");
        field.put("value", value);
      }
      field.put("short", true);
      r.fields().add(field);
    });
  }

  /** A button with a URL, as a Markdown link. */
  private static java.util.Optional<String> button(JsonNode e) {
    if (e.path("type").asText().equals("button") && e.hasNonNull("url")) {
      return java.util.Optional.of("[" + SlackMarkdown.plain(e.path("text").path("text").asText("link")) + "]("
          + e.get("url").asText() + ")");
    }
    return java.util.Optional.empty();
  }

  /** A text object: mrkdwn converted, plain_text as it is. */
  private static String textObject(JsonNode t) {
    String text = t.path("text").asText();
    return t.path("type").asText().equals("mrkdwn") ? SlackMarkdown.toMarkdown(text) : SlackMarkdown.plain(text);
  }

  private static void add(Rendered r, String paragraph) {
    if (!paragraph.isBlank()) {
      r.paragraphs().add(paragraph);
    }
  }
}
