package dev.hookgate.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code commands.<name>}: a slash command the gateway answers, and the job it runs. A request is
 * authentic with the Mattermost token, or a valid Slack signature, whichever is configured (either
 * when both are); {@code teamIds}, when not empty, lists the only teams allowed.
 */
public record CommandConfig(
    String name,
    Optional<String> token,
    Optional<String> slackSigningSecret,
    List<String> teamIds,
    String ack,
    JobSpec job,
    ReplySpec reply,
    int concurrency,
    int maxQueued,
    boolean rerunAfterCrash) {

  public CommandConfig {
    teamIds = List.copyOf(teamIds);
  }

  /** The chat server the command comes from: Slack when it checks Slack signatures, else Mattermost. */
  public DestinationConfig.ChatKind chatKind() {
    return slackSigningSecret.isPresent() ? DestinationConfig.ChatKind.SLACK : DestinationConfig.ChatKind.MATTERMOST;
  }
}
