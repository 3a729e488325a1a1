package dev.hookgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code commands.<name>.job}: one of three kinds. */
public sealed interface JobSpec {
  Duration timeout();

  /** A Mustache template over the command's fields. */
  record Template(String template, Duration timeout) implements JobSpec {}

  /** A process, never through a shell; each argv element is a template. */
  record Exec(List<String> argv, String workdir, Map<String, String> env, Duration timeout,
      int maxOutputBytes) implements JobSpec {
    public Exec {
      argv = List.copyOf(argv);
      env = Map.copyOf(env);
    }
  }

  /** An HTTP call; url, headers and body are templates. */
  record Http(String method, String url, Map<String, String> headers, String body, Duration timeout)
      implements JobSpec {
    public Http {
      headers = Map.copyOf(headers);
    }
  }
}
