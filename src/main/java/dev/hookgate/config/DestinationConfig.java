package dev.hookgate.config;

import java.net.URI;

/**
 * {@code destinations.<name>}: an incoming webhook of the chat server and the pace it accepts.
 * {@code coalesce}: whether a backlog may be merged into fewer posts (false: each message its own post).
 * {@code rateIsCap}: rate-per-second was configured (the learned pace starts there and never goes
 * above); otherwise the pace starts at a default and learns. {@code kind}: the chat server's
 * product, which decides what a post must look like to be rendered.
 */
public record DestinationConfig(
    String name, String url, double ratePerSecond, int burst, int maxPostChars, int maxInFlight, boolean coalesce,
    boolean rateIsCap, ChatKind kind) {
  /** The starting rate of a destination with no rate-per-second configured (posts a second). */
  public static final double DEFAULT_RATE = 10;

  /** The rate its lane starts at: rate-per-second when configured, else {@link #DEFAULT_RATE}. */
  public double startingRate() {
    return rateIsCap ? ratePerSecond : DEFAULT_RATE;
  }

  public DestinationConfig(String name, String url, double ratePerSecond, int burst, int maxPostChars, int maxInFlight,
      boolean coalesce) {
    this(name, url, ratePerSecond, burst, maxPostChars, maxInFlight, coalesce, true, ChatKind.ofUrl(url));
  }

  public DestinationConfig(String name, String url, double ratePerSecond, int burst, int maxPostChars, int maxInFlight) {
    this(name, url, ratePerSecond, burst, maxPostChars, maxInFlight, true);
  }

  /** The chat server a destination, or a command's response_url, belongs to. */
  public enum ChatKind {
    MATTERMOST, SLACK;

    /** Slack when the host is hooks.slack.com, else Mattermost. */
    public static ChatKind ofUrl(String url) {
      try {
        String host = URI.create(url).getHost();
        return "hooks.slack.com".equalsIgnoreCase(host) ? SLACK : MATTERMOST;
      } catch (RuntimeException e) {
        return MATTERMOST;
      }
    }
  }
}
