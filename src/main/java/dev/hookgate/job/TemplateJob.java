package dev.hookgate.job;

import dev.hookgate.config.JobSpec;
import java.util.Map;

/** The seed's Flask example as config: a Mustache template over the command's fields. */
final class TemplateJob {
  private TemplateJob() {}

  static JobResult run(JobSpec.Template spec, Map<String, Object> scope) {
    String output = Templates.render(spec.template(), scope);
    return new JobResult.Succeeded(output, Map.of("output", output));
  }
}
