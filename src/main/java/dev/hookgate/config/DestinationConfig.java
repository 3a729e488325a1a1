package dev.hookgate.config;

/**
 * {@code destinations.<name>}: an incoming webhook of the chat server and the pace it accepts.
 * {@code coalesce}: whether a backlog may be merged into fewer posts (false: each message its own post).
 */
public record DestinationConfig(
    String name, String url, double ratePerSecond, int burst, int maxPostChars, int maxInFlight, boolean coalesce) {

  public DestinationConfig(String name, String url, double ratePerSecond, int burst, int maxPostChars, int maxInFlight) {
    this(name, url, ratePerSecond, burst, maxPostChars, maxInFlight, true);
  }
}
