package dev.hookgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A slash-command invocation as Mattermost or Slack sends it (form fields of the POST body or GET
 * query): the two fields the gateway itself needs, and every field received (first value, token
 * dropped) for the job's templates.
 *
 * @see <a href="https://developers.mattermost.com/integrate/slash-commands/custom/">Mattermost custom slash commands</a>
 * @see <a href="https://docs.slack.dev/interactivity/implementing-slash-commands">Slack slash commands</a>
 */
public record SlashCommand(String responseUrl, String userId, Map<String, String> fields) {

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
    return new SlashCommand(form.first("response_url").orElseThrow(), form.first("user_id").orElseThrow(), fields);
  }
}
