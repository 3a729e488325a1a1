package dev.hookgate.job;

import dev.hookgate.store.JobRecord;
import java.util.HashMap;
import java.util.Map;

/** What templates see: every field of the command's request, the job id, then the job's results. */
public final class JobScope {
  private JobScope() {}

  public static Map<String, Object> of(JobRecord job) {
    Map<String, Object> scope = new HashMap<>(job.request());
    scope.put("job_id", job.id());
    return scope;
  }

  public static Map<String, Object> with(Map<String, Object> scope, Map<String, Object> values) {
    Map<String, Object> merged = new HashMap<>(scope);
    merged.putAll(values);
    return merged;
  }
}
