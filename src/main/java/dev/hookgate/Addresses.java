package dev.hookgate;

/** Event-bus addresses. The bus only wakes consumers up; the store holds the work. */
public final class Addresses {
  /** Published when jobs were queued. */
  public static final String JOBS_READY = "hookgate.jobs.ready";
  /** Point-to-point, dispatcher → job workers: run this claimed job; the reply says it ended. */
  public static final String JOBS_RUN = "hookgate.jobs.run";
  /** Published when deliveries were queued. */
  public static final String DELIVERIES_READY = "hookgate.deliveries.ready";

  private Addresses() {}
}
