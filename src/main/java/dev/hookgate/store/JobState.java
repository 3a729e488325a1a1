package dev.hookgate.store;

/** The life of a job: queued → running → succeeded | failed; interrupted when a crash stopped it for good. */
public enum JobState {
  QUEUED, RUNNING, SUCCEEDED, FAILED, INTERRUPTED;

  public String dbName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static JobState fromDb(String s) {
    return valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }
}
