package dev.hookgate.job;

import java.util.Map;

/**
 * What a job produced. {@code values} feed the reply template ({@code output}, {@code exit_code},
 * {@code stdout}, {@code stderr}, {@code status}, {@code json}, {@code body}).
 */
public sealed interface JobResult {
  Map<String, Object> values();

  record Succeeded(String output, Map<String, Object> values) implements JobResult {}

  /** Stopped by a shutdown: not recorded, so that the job is resumed at the next start. */
  record Interrupted(Map<String, Object> values) implements JobResult {}

  /** {@code reason} is shown to the user: it must hold no secret. */
  record Failed(String reason, String detail, Map<String, Object> values) implements JobResult {}
}
