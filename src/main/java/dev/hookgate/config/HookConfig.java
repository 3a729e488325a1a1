package dev.hookgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code hooks.<name>}: a relay endpoint {@code /hooks/<key>} that forwards to a destination.
 *
 * @param channel the channel the hook is locked to: a payload naming none is posted there, a payload
 *     naming another is refused (403, as a locked Mattermost hook does); empty: the payload decides
 * @param username the name posts appear under when the payload gives none
 * @param iconUrl the icon posts appear with when the payload gives none
 * @param allowOverrides false: the payload's {@code username}, {@code icon_url} and {@code icon_emoji}
 *     are dropped and the hook's used instead (Mattermost with post overrides disabled)
 */
public record HookConfig(String name, String key, String destination, Duration coalesce, Optional<String> channel,
    Optional<String> username, Optional<String> iconUrl, boolean allowOverrides) {

  /** A hook that leaves channel, username and icon to its producers. */
  public HookConfig(String name, String key, String destination, Duration coalesce) {
    this(name, key, destination, coalesce, Optional.empty(), Optional.empty(), Optional.empty(), true);
  }
}
