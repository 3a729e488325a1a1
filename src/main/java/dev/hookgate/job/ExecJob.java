package dev.hookgate.job;

import dev.hookgate.config.JobSpec;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program (never through a shell) on the calling worker thread: templated argv, the
 * command's text on stdin and in {@code HOOKGATE_*} variables, stdout and stderr captured up to a
 * cap, and on timeout the whole process tree killed.
 */
final class ExecJob {
  private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hookgate-exec-pump");
    t.setDaemon(true);
    return t;
  });

  /** Processes running now: killed with their trees when the gateway stops past its grace period. */
  private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final java.util.Set<Process> KILLED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ExecJob() {}

  /** Kills every running job process and its descendants (no orphan outlives the gateway). */
  static void killAll() {
    for (Process p : LIVE) {
      KILLED.add(p);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** The only variables a job inherits from the gateway's environment. */
  static final java.util.Set<String> INHERITED_ENV = java.util.Set.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE",
      "TZ", "USER", "LOGNAME", "TMPDIR", "JAVA_HOME");

  /** Lines of stdout starting with this are progress reports, not output. */
  static final String PROGRESS_PREFIX = "::progress ";

  static JobResult run(JobSpec.Exec spec, Map<String, Object> scope, String text,
      java.util.function.Consumer<String> progress) throws InterruptedException {
    List<String> argv = new ArrayList<>();
    spec.argv().forEach(a -> argv.add(Templates.render(a, scope)));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(new File(spec.workdir()));
    Map<String, String> env = pb.environment();
    // not the gateway's environment: it holds tokens, keys and passwords
    env.keySet().retainAll(INHERITED_ENV);
    scope.forEach((k, v) -> {
      if (v instanceof String s && k.matches("[a-z_]+")) {
        env.put("HOOKGATE_" + k.toUpperCase(Locale.ROOT), s);
      }
    });
    spec.env().forEach((k, v) -> env.put(k, Templates.render(v, scope)));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new JobResult.Failed("cannot start " + argv.get(0) + ": " + e.getMessage(), "", Map.of());
    }
    LIVE.add(process);
    try {
      return await(spec, process, text, progress);
    } finally {
      LIVE.remove(process);
      KILLED.remove(process);
    }
  }

  private static JobResult await(JobSpec.Exec spec, Process process, String text,
      java.util.function.Consumer<String> progress) throws InterruptedException {
    Future<byte[]> stdout = PUMPS.submit(() -> captureLines(process.getInputStream(), spec.maxOutputBytes(), progress));
    Future<byte[]> stderr = PUMPS.submit(() -> capture(process.getErrorStream(), spec.maxOutputBytes()));
    PUMPS.submit(() -> feed(process.getOutputStream(), text));
    boolean finished = process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      killTree(process);
    }
    if (KILLED.contains(process)) {
      return new JobResult.Interrupted(Map.of());
    }
    String out = text(stdout);
    String err = text(stderr);
    Map<String, Object> values = new HashMap<>();
    values.put("stdout", out);
    values.put("stderr", err);
    values.put("output", out.stripTrailing());
    if (!finished) {
      values.put("exit_code", "");
      return new JobResult.Failed("timed out after " + dev.hookgate.config.Durations.format(spec.timeout())
          + " and was killed", err, values);
    }
    int code = process.exitValue();
    values.put("exit_code", String.valueOf(code));
    if (code != 0) {
      return new JobResult.Failed("exited with code " + code, err, values);
    }
    return new JobResult.Succeeded(out.stripTrailing(), values);
  }

  private static void killTree(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  /** Reads up to {@code cap} bytes, then drains the rest so that the process never blocks on a full pipe. */
  /**
   * stdout, line by line: progress lines go to {@code progress}, the rest is output, capped at
   * {@code cap} bytes. Lines are cut from the raw bytes, so memory stays bounded even for output
   * without newlines; past the cap the rest is read and dropped (the process never blocks).
   */
  private static byte[] captureLines(InputStream in, int cap, java.util.function.Consumer<String> progress)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] prefix = PROGRESS_PREFIX.getBytes(StandardCharsets.UTF_8);
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          endLine(line, out, cap, prefix, progress, true);
        } else if (line.size() < cap + prefix.length) {
          line.write(buf[i]);
        }
      }
    }
    endLine(line, out, cap, prefix, progress, false);
    return out.toByteArray();
  }

  private static void endLine(ByteArrayOutputStream line, ByteArrayOutputStream out, int cap, byte[] prefix,
      java.util.function.Consumer<String> progress, boolean newline) {
    byte[] bytes = line.toByteArray();
    line.reset();
    if (bytes.length >= prefix.length && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length)) {
      progress.accept(new String(bytes, prefix.length, bytes.length - prefix.length, StandardCharsets.UTF_8).strip());
      return;
    }
    if (!newline && bytes.length == 0) {
      return;
    }
    int keep = Math.min(bytes.length, cap - out.size());
    if (keep > 0) {
      out.write(bytes, 0, keep);
    }
    if (newline && out.size() < cap) {
      out.write('\n');
    }
  }

  private static byte[] capture(InputStream in, int cap) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      int keep = Math.min(n, cap - out.size());
      if (keep > 0) {
        out.write(buf, 0, keep);
      }
    }
    return out.toByteArray();
  }

  private static Void feed(OutputStream stdin, String text) {
    try (stdin) {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // the program does not read its input: not an error
    }
    return null;
  }

  private static String text(Future<byte[]> f) throws InterruptedException {
    try {
      return new String(f.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return "";
    }
  }
}
