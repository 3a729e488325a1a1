package dev.hookgate.delivery;

/** What becomes of the deliveries of one post, once its outcome is known. */
public sealed interface Decision {

  /** The chat server took the post. */
  record Delivered() implements Decision {}

  /**
   * A failed attempt (5xx, 408, no answer): the lane keeps its order and tries the same deliveries
   * again at {@code at}. {@code giveBackUse}: the response_url use taken for it was never counted.
   */
  record RetryAt(long at, String reason, boolean giveBackUse) implements Decision {}

  /**
   * The chat server asked to wait (429): nothing is sent on the lane before {@code at}, and the
   * attempt is not counted. {@code giveBackUse}: a response_url's use is given back (its rate
   * limiter answered before the hook was looked up).
   */
  record PauseLaneUntil(long at, String reason, boolean giveBackUse) implements Decision {}

  /** The response_url cannot take the post any more: it goes to the command's fallback destination. */
  record FallBack(String destination, String reason) implements Decision {}

  /** Given up for good (kept as a dead letter, replayable from the admin API). */
  record Dead(String reason) implements Decision {}
}
