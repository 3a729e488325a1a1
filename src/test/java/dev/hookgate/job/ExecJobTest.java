package dev.hookgate.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.config.JobSpec;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Programs run without holding a thread: output, background children, timeout, stop. */
@ExtendWith(VertxExtension.class)
class ExecJobTest {
  @TempDir Path dir;

  static JobSpec.Exec sh(String script, Duration timeout) {
    return new JobSpec.Exec(List.of("sh", "-c", script), ".", Map.of(), timeout, 1 << 20);
  }

  @Test
  void aBackgroundChildHoldingStdoutIsEndedAtExitAndTheOutputKept(Vertx vertx, VertxTestContext test) {
    Path pid = dir.resolve("child.pid");
    ExecJob exec = new ExecJob(vertx);
    long started = System.currentTimeMillis();
    exec.run(sh("echo hi; ( sleep 120 ) & echo $! > '" + pid + "'; exit 0", Duration.ofMinutes(1)), Map.of(), "",
        p -> { }).onComplete(test.succeeding(r -> test.verify(() -> {
          JobResult.Succeeded ok = assertInstanceOf(JobResult.Succeeded.class, r);
          assertEquals("hi", ok.output());
          assertEquals("it left 1 process(es) running in the background: ended when it exited", ok.notice());
          assertTrue(System.currentTimeMillis() - started < 60_000, "the job waited for the child");
          assertEquals(0, exec.running());
          // SIGKILL was sent: poll until the child is gone
          long child = Long.parseLong(Files.readString(pid).trim());
          long deadline = System.currentTimeMillis() + 10_000;
          vertx.setPeriodic(20, id -> test.verify(() -> {
            boolean gone = ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true);
            if (gone) {
              test.completeNow();
            } else {
              assertTrue(System.currentTimeMillis() < deadline, "the child still runs");
            }
          }));
        })));
  }

  @Test
  void progressLinesAreSeparatedFromTheOutput(Vertx vertx, VertxTestContext test) {
    List<String> progress = new CopyOnWriteArrayList<>();
    new ExecJob(vertx).run(sh("echo '::progress step 1'; echo out; printf 'no newline'", Duration.ofSeconds(30)),
        Map.of("text", "x"), "", progress::add).onComplete(test.succeeding(r -> test.verify(() -> {
          assertEquals("out\nno newline", ((JobResult.Succeeded) r).output());
          assertEquals("", ((JobResult.Succeeded) r).notice());
          assertEquals(List.of("step 1"), progress);
          test.completeNow();
        })));
  }

  @Test
  void aTimeoutKillsTheTreeAndFailsTheJob(Vertx vertx, VertxTestContext test) {
    new ExecJob(vertx).run(sh("echo started; sleep 60", Duration.ofMillis(500)), Map.of(), "", p -> { })
        .onComplete(test.succeeding(r -> test.verify(() -> {
          JobResult.Failed failed = assertInstanceOf(JobResult.Failed.class, r);
          assertEquals("timed out after 500ms and was killed", failed.reason());
          assertEquals("started\n", failed.values().get("stdout"));
          test.completeNow();
        })));
  }

  @Test
  void stoppingTheRunnerInterruptsItsJobs(Vertx vertx, VertxTestContext test) {
    ExecJob exec = new ExecJob(vertx);
    exec.run(sh("sleep 60", Duration.ofMinutes(1)), Map.of(), "", p -> { })
        .onComplete(test.succeeding(r -> test.verify(() -> {
          assertInstanceOf(JobResult.Interrupted.class, r);
          test.completeNow();
        })));
    exec.killAll();
  }
}
