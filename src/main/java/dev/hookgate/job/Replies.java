package dev.hookgate.job;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.hookgate.config.CommandConfig;
import dev.hookgate.config.DestinationConfig;
import dev.hookgate.protocol.BlockKitRenderer;
import dev.hookgate.protocol.ChatJson;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.protocol.CommandReply;
import dev.hookgate.protocol.PostSplitter;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.NewDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a job's result into the posts that carry it back to the user, split to the chat's limit. */
public final class Replies {
  private static final int MAX_DETAIL_CHARS = 1500;

  private Replies() {}

  /** The reply of a successful job: the reply template over the command and the result. */
  public static List<NewDelivery> success(CommandConfig command, JobRecord job, Map<String, Object> scope,
      int maxPostChars, long now) {
    return success(command, job, scope, "", maxPostChars, now);
  }

  /**
   * The same, with a {@code notice} the user must also read (e.g. background processes ended)
   * appended. The reply's attachments, blocks and props, rendered over the same values, go with
   * the first post.
   */
  public static List<NewDelivery> success(CommandConfig command, JobRecord job, Map<String, Object> scope,
      String notice, int maxPostChars, long now) {
    String template = command.reply().template().orElse("{{output}}");
    String text = Templates.render(template, scope);
    if (!notice.isEmpty()) {
      text = (text.isBlank() ? "" : text.stripTrailing() + "\n\n") + ":information_source: " + notice;
    }
    Map<String, Object> rich = command.reply().rich();
    if (text.isBlank() && rich.isEmpty()) {
      return List.of();
    }
    ChatMessage base = ChatMessage.text(command.reply().responseType(), "");
    if (command.reply().username().isPresent()) {
      base = base.withField("username", TextNode.valueOf(command.reply().username().get()));
    }
    if (command.reply().iconUrl().isPresent()) {
      base = base.withField("icon_url", TextNode.valueOf(command.reply().iconUrl().get()));
    }
    List<NewDelivery> posts = split(command, job, base, text, maxPostChars, now);
    if (rich.isEmpty()) {
      return posts;
    }
    ChatMessage first = posts.get(0).message();
    for (Map.Entry<String, Object> e : rich.entrySet()) {
      first = first.withField(e.getKey(), ChatJson.MAPPER.valueToTree(Templates.renderTree(e.getValue(), scope)));
    }
    NewDelivery d = posts.get(0);
    if (d.responseUrl() != null && command.chatKind() == DestinationConfig.ChatKind.MATTERMOST) {
      first = BlockKitRenderer.forMattermost(first); // the reply follows the chat server the command came from
    }
    List<NewDelivery> out = new ArrayList<>(posts);
    out.set(0, new NewDelivery(d.destination(), d.responseUrl(), d.fallback(), d.jobId(), d.hook(), first,
        d.createdAt(), d.notBefore()));
    return out;
  }

  /** A failed job is never silent: the user is told why, in an ephemeral message. */
  public static List<NewDelivery> failure(CommandConfig command, JobRecord job, String reason, String detail,
      int maxPostChars, long now) {
    String invocation = (job.request().getOrDefault("command", "/" + command.name()) + " "
        + job.request().getOrDefault("text", "")).strip();
    StringBuilder text = new StringBuilder(":warning: `").append(invocation.replace("`", "'"))
        .append("` failed: ").append(reason).append(" (job ").append(job.id()).append(")");
    if (detail != null && !detail.isBlank()) {
      String tail = detail.length() > MAX_DETAIL_CHARS ? "…" + detail.substring(detail.length() - MAX_DETAIL_CHARS)
          : detail;
      text.append("\n```\n").append(tail.replace("```", "'''").stripTrailing()).append("\n```");
    }
    return split(command, job, ChatMessage.text(CommandReply.EPHEMERAL, ""), text.toString(), maxPostChars, now);
  }

  private static List<NewDelivery> split(CommandConfig command, JobRecord job, ChatMessage base, String text,
      int maxPostChars, long now) {
    List<NewDelivery> out = new ArrayList<>();
    for (String part : PostSplitter.split(text, maxPostChars)) {
      out.add(job.responseUrl().isEmpty()
          // a scheduled job has no response_url: its reply goes to its destination
          ? NewDelivery.toDestination(command.reply().fallback().orElseThrow(), null,
              base.withText(part).withField("response_type", null), now, now)
          : NewDelivery.toResponseUrl(job.responseUrl(), command.reply().fallback().orElse(null), job.id(),
              base.withText(part), now));
    }
    return out;
  }
}
