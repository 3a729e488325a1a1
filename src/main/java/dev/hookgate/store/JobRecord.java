package dev.hookgate.store;

import java.util.Map;

/** A job as stored. {@code state} is one of {@link JobState}'s names. */
public record JobRecord(
    String id,
    String command,
    Map<String, String> request,
    String responseUrl,
    JobState state,
    int attempts,
    long createdAt,
    Long startedAt,
    Long finishedAt,
    String outcome) {

  public JobRecord {
    request = Map.copyOf(request);
  }
}
