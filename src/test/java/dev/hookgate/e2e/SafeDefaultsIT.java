package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped config as it comes: it listens on loopback, and its published example secrets
 * ({@code change-me…}) are refused, naming each key and never printing it, as soon as it would listen
 * beyond loopback: by --check-config and at start, exit 3.
 */
class SafeDefaultsIT {
  static final Path SHIPPED = Path.of("conf/hookgate.yaml").toAbsolutePath();

  @TempDir Path dir;

  record Run(int exit, String out) {}

  Run run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(GatewayProcess.javaBin(), "-jar",
        GatewayProcess.jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    Path log = java.nio.file.Files.createTempFile(dir, "out", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HOOKGATE_") || k.endsWith("_TOKEN") || k.endsWith("_KEY"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) { // it started: the refusal did not happen
      p.destroyForcibly().waitFor();
    }
    return new Run(p.isAlive() ? -1 : p.exitValue(), java.nio.file.Files.readString(log));
  }

  @Test
  void theShippedConfigListensOnLoopbackAndIsValidThere() throws Exception {
    Run check = run(Map.of(), "--check-config", SHIPPED.toString());
    assertEquals(0, check.exit(), check.out());
    assertTrue(java.nio.file.Files.readString(SHIPPED).contains("host: 127.0.0.1"));
  }

  @Test
  void exampleSecretsBeyondLoopbackAreRefusedByCheckConfigAndAtStart() throws Exception {
    Map<String, String> open = Map.of("HOOKGATE_HTTP_HOST", "0.0.0.0", "HOOKGATE_HTTP_PORT", "0",
        "HOOKGATE_STORE_PATH", dir.resolve("hookgate.db").toString());
    for (Run run : List.of(run(open, "--check-config", SHIPPED.toString()), run(open, "--config", SHIPPED.toString()))) {
      assertEquals(3, run.exit(), run.out());
      for (String key : List.of("commands.echo.token", "commands.report.token", "hooks.alerts.key")) {
        assertTrue(run.out().contains(key + ": is a published example secret"), key + " named:\n" + run.out());
      }
      assertFalse(run.out().contains("change-me-echo-token") || run.out().contains("change-me-alerts-hook-key"),
          "no secret printed:\n" + run.out());
      assertFalse(run.out().contains("listening on"), run.out());
    }
    Run own = run(Map.of("HOOKGATE_HTTP_HOST", "0.0.0.0", "ECHO_TOKEN", "echo-token-of-my-own-0123",
        "REPORT_TOKEN", "report-token-of-my-own-012", "ALERTS_HOOK_KEY", "alerts-hook-key-of-my-own"),
        "--check-config", SHIPPED.toString());
    assertEquals(0, own.exit(), "secrets of one's own open it:\n" + own.out());
  }
}
