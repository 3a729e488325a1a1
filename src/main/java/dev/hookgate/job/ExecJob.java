package dev.hookgate.job;

import dev.hookgate.config.Durations;
import dev.hookgate.config.JobSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs programs (never through a shell) without holding a thread while they run: templated argv,
 * the command's text on stdin and in {@code HOOKGATE_*} variables, stdout and stderr read by pump
 * threads (not Vert.x's, so a long job is never reported as a blocked thread) and capped, the end
 * known from {@link Process#onExit()}. On timeout the whole process tree is killed. At exit, the
 * output is read for at most {@link #OUTPUT_GRACE_MS} more; processes the program left running in
 * the background are then ended and the user is told. One instance per job worker: it knows the
 * processes it started, to end them when the gateway stops.
 */
final class ExecJob {
  /** How long output is still read after the program exited (a background child may hold the pipe). */
  static final long OUTPUT_GRACE_MS = 1000;
  private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hookgate-exec-pump");
    t.setDaemon(true);
    return t;
  });

  /** The only variables a job inherits from the gateway's environment. */
  static final Set<String> INHERITED_ENV = Set.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE",
      "TZ", "USER", "LOGNAME", "TMPDIR", "JAVA_HOME");

  private final Vertx vertx;
  /** Processes running now, and those of them ended by {@link #killAll()}. */
  private final Set<Process> live = ConcurrentHashMap.newKeySet();
  private final Set<Process> stopped = ConcurrentHashMap.newKeySet();

  ExecJob(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Kills every process this runner started, with its tree: no orphan outlives the gateway. */
  void killAll() {
    for (Process p : live) {
      stopped.add(p);
      ProcessTree.kill(p);
    }
  }

  /** How many processes run now. */
  int running() {
    return live.size();
  }

  /** Starts the program; the future completes on the caller's context when it ended and its output was read. */
  Future<JobResult> run(JobSpec.Exec spec, Map<String, Object> scope, String text, Consumer<String> progress) {
    Context context = vertx.getOrCreateContext();
    List<String> argv = new ArrayList<>();
    spec.argv().forEach(a -> argv.add(Templates.render(a, scope)));
    ProcessBuilder pb = new ProcessBuilder(ProcessTree.command(argv)).directory(new File(spec.workdir()));
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
      return Future.succeededFuture(new JobResult.Failed("cannot start " + argv.get(0) + ": " + e.getMessage(), "",
          Map.of()));
    }
    live.add(process);
    ExecOutput stdout = new ExecOutput(spec.maxOutputBytes(), progress);
    ExecOutput stderr = new ExecOutput(spec.maxOutputBytes(), null);
    CompletableFuture<Void> read = CompletableFuture.allOf(
        CompletableFuture.runAsync(() -> stdout.pump(process.getInputStream()), PUMPS),
        CompletableFuture.runAsync(() -> stderr.pump(process.getErrorStream()), PUMPS));
    PUMPS.execute(() -> feed(process.getOutputStream(), text));
    AtomicBoolean timedOut = new AtomicBoolean();
    long timer = vertx.setTimer(spec.timeout().toMillis(), id -> {
      timedOut.set(true);
      ProcessTree.kill(process);
    });
    CompletableFuture<JobResult> ended = process.onExit()
        .thenCompose(p -> within(read, OUTPUT_GRACE_MS))
        .thenApply(allRead -> ProcessTree.kill(process))
        .thenCompose(killed -> within(read, OUTPUT_GRACE_MS).thenApply(allRead -> {
          String notice = notice(killed, allRead);
          return result(spec, process, stdout.text(), stderr.text(), timedOut.get(), notice);
        }));
    return Future.fromCompletionStage(ended, context).eventually(() -> {
      vertx.cancelTimer(timer);
      live.remove(process);
      stopped.remove(process);
      return Future.succeededFuture();
    });
  }

  /** Completes with whether {@code f} completed within {@code ms}, without waiting on a thread. */
  private static CompletableFuture<Boolean> within(CompletableFuture<Void> f, long ms) {
    return f.handle((v, e) -> true).completeOnTimeout(false, ms, TimeUnit.MILLISECONDS);
  }

  private static String notice(int killed, boolean allRead) {
    List<String> notes = new ArrayList<>();
    if (killed > 0) {
      notes.add("it left " + killed + " process(es) running in the background: ended when it exited");
    }
    if (!allRead) {
      notes.add("a process outside the job kept its output open: what it printed after the job ended is not shown");
    }
    return String.join("; ", notes);
  }

  private JobResult result(JobSpec.Exec spec, Process process, String out, String err, boolean timedOut,
      String notice) {
    if (stopped.contains(process)) {
      return new JobResult.Interrupted(Map.of());
    }
    Map<String, Object> values = new HashMap<>();
    values.put("stdout", out);
    values.put("stderr", err);
    values.put("output", out.stripTrailing());
    String also = notice.isEmpty() ? "" : " (" + notice + ")";
    if (timedOut) {
      values.put("exit_code", "");
      return new JobResult.Failed("timed out after " + Durations.format(spec.timeout()) + " and was killed",
          err, values);
    }
    int code = process.exitValue();
    values.put("exit_code", String.valueOf(code));
    if (code != 0) {
      return new JobResult.Failed("exited with code " + code + also, err, values);
    }
    return new JobResult.Succeeded(out.stripTrailing(), values, notice);
  }

  private static void feed(OutputStream stdin, String text) {
    try (stdin) {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // the program does not read its input: not an error
    }
  }
}
