package dev.hookgate.store;

import dev.hookgate.protocol.ChatMessage;

/**
 * A message to deliver, either to a configured destination (an incoming hook of the chat server)
 * or to a command's response_url with an optional fallback destination.
 */
public record NewDelivery(
    String destination, String responseUrl, String fallback, String jobId, String hook,
    ChatMessage message, long createdAt, long notBefore) {

  public NewDelivery {
    if ((destination == null) == (responseUrl == null)) {
      throw new IllegalArgumentException("exactly one of destination and responseUrl");
    }
    if (responseUrl != null && jobId == null) {
      throw new IllegalArgumentException("a response_url delivery belongs to a job");
    }
  }

  public static NewDelivery toDestination(String destination, String hook, ChatMessage message, long now, long notBefore) {
    return new NewDelivery(destination, null, null, null, hook, message, now, notBefore);
  }

  public static NewDelivery toResponseUrl(String responseUrl, String fallback, String jobId, ChatMessage message, long now) {
    return new NewDelivery(null, responseUrl, fallback, jobId, null, message, now, now);
  }

  /** Deliveries of one lane go out in order, one after the other. */
  public String lane() {
    return Lanes.of(destination, jobId);
  }
}
