package dev.hookgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A slash-command invocation as Mattermost or Slack sends it (form fields of the POST body or GET
 * query). Optional fields are empty strings when absent; {@code fields} keeps every field received
 * (first value) for templates.
 *
 * @see <a href="https://developers.mattermost.com/integrate/slash-commands/custom/">Mattermost custom slash commands</a>
 * @see <a href="https://docs.slack.dev/interactivity/implementing-slash-commands">Slack slash commands</a>
 */
public record SlashCommand(
    String command,
    String text,
    String responseUrl,
    String teamId,
    String teamDomain,
    String channelId,
    String channelName,
    String userId,
    String userName,
    String triggerId,
    Map<String, String> fields) {

  /** Fields a chat server always sends, and without which hookgate cannot do its job. */
  public static final List<String> REQUIRED = List.of("response_url", "user_id", "channel_id");

  public SlashCommand {
    fields = Map.copyOf(fields);
  }

  /**
   * Reads a command from its form; throws {@link MalformedRequestException} naming every missing
   * required field. The token is not part of the record: it is checked and dropped before.
   */
  public static SlashCommand from(FormData form) {
    List<String> missing = new ArrayList<>();
    for (String name : REQUIRED) {
      if (form.first(name).map(String::isBlank).orElse(true)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new MalformedRequestException("missing form field" + (missing.size() > 1 ? "s: " : ": ")
          + String.join(", ", missing));
    }
    Map<String, String> fields = new java.util.LinkedHashMap<>(form.firstValues());
    fields.remove("token");
    return new SlashCommand(
        get(form, "command"), get(form, "text"), get(form, "response_url"),
        get(form, "team_id"), get(form, "team_domain"),
        get(form, "channel_id"), get(form, "channel_name"),
        get(form, "user_id"), get(form, "user_name"), get(form, "trigger_id"),
        fields);
  }

  private static String get(FormData form, String name) {
    return form.first(name).orElse("");
  }
}
