package dev.hookgate.store;

/** A lane is an ordered queue: one per destination, one per response_url. */
public final class Lanes {
  public static final String DESTINATION_PREFIX = "dest:";
  public static final String RESPONSE_URL_PREFIX = "resp:";

  private Lanes() {}

  public static String of(String destination, String responseUrl) {
    return destination != null ? DESTINATION_PREFIX + destination : RESPONSE_URL_PREFIX + responseUrl;
  }

  public static boolean isDestination(String lane) {
    return lane.startsWith(DESTINATION_PREFIX);
  }
}
