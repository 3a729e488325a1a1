package dev.hookgate.config;

/** {@code destinations.<name>}: an incoming webhook of the chat server and the pace it accepts. */
public record DestinationConfig(
    String name, String url, double ratePerSecond, int burst, int maxPostChars, int maxInFlight) {}
