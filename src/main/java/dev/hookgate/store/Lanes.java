package dev.hookgate.store;

/**
 * A lane is an ordered queue: one per destination, one per job's response_url (named by the job:
 * the response_url itself holds a secret id and stays out of lane names, logs and metrics).
 */
public final class Lanes {
  public static final String DESTINATION_PREFIX = "dest:";
  public static final String RESPONSE_URL_PREFIX = "resp:";

  private Lanes() {}

  public static String of(String destination, String jobId) {
    return destination != null ? DESTINATION_PREFIX + destination : RESPONSE_URL_PREFIX + jobId;
  }

  public static boolean isDestination(String lane) {
    return lane.startsWith(DESTINATION_PREFIX);
  }

  /** A lane as metrics and the admin API show it: the destination's name, or {@code response_url}. */
  public static String publicName(String lane) {
    return isDestination(lane) ? lane.substring(DESTINATION_PREFIX.length()) : "response_url";
  }

  /** A lane for logs: a destination, or the response_url of a job (never the URL: it holds a secret). */
  public static String logName(String lane) {
    return isDestination(lane) ? lane : "response_url of job " + lane.substring(RESPONSE_URL_PREFIX.length());
  }
}
