package dev.hookgate.job;

import java.util.Map;

/**
 * What a job produced. {@code values} feed the reply template ({@code output}, {@code exit_code},
 * {@code stdout}, {@code stderr}, {@code status}, {@code json}, {@code body}).
 */
public sealed interface JobResult {
  Map<String, Object> values();

  /** {@code notice}: what the user must also be told (e.g. background processes ended), or empty. */
  record Succeeded(String output, Map<String, Object> values, String notice) implements JobResult {
    public Succeeded(String output, Map<String, Object> values) {
      this(output, values, "");
    }
  }

  /** Stopped by a shutdown: not recorded, so that the job is resumed at the next start. */
  record Interrupted(Map<String, Object> values) implements JobResult {}

  /** {@code reason} is shown to the user: it must hold no secret. */
  record Failed(String reason, String detail, Map<String, Object> values) implements JobResult {}
}
