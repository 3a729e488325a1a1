package dev.hookgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar's command line: --help, --version, and the version where ops look for it. */
class CommandLineIT {
  @TempDir Path dir;

  record Run(int exit, String out) {}

  static Run run(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(GatewayProcess.javaBin(), "-jar",
        GatewayProcess.jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return new Run(p.waitFor(), out);
  }

  /** The version the build gave the jar (the pom's, through the manifest). */
  static String builtVersion() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    int artifact = pom.indexOf("<artifactId>hookgate</artifactId>");
    int start = pom.indexOf("<version>", artifact) + "<version>".length();
    return pom.substring(start, pom.indexOf("</version>", start));
  }

  @Test
  void helpPrintsUsageOptionsExitCodesAndWhereTheConfigReferenceIs() throws Exception {
    Run help = run("--help");
    assertEquals(0, help.exit(), help.out());
    assertTrue(help.out().startsWith("usage: java -jar hookgate.jar"), help.out());
    for (String expected : List.of("--config FILE", "--check-config", "--version", "exit codes:", "3  invalid config",
        "2  bad arguments", "HOOKGATE_<KEY>", "config reference: README.md", "\"Configuration\"")) {
      assertTrue(help.out().contains(expected), "help names " + expected + ":\n" + help.out());
    }
  }

  @Test
  void versionPrintsTheBuiltVersion() throws Exception {
    Run version = run("--version");
    assertEquals(0, version.exit(), version.out());
    assertEquals("hookgate " + builtVersion(), version.out().strip());
  }

  @Test
  void unknownArgumentIsExitTwoWithTheUsage() throws Exception {
    Run bad = run("--frobnicate");
    assertEquals(2, bad.exit(), bad.out());
    assertTrue(bad.out().contains("unknown argument --frobnicate") && bad.out().contains("usage:"), bad.out());
  }

  @Test
  void theVersionIsInTheStartLineAndInBuildInfo() throws Exception {
    Path config = dir.resolve("hookgate.yaml");
    Files.writeString(config, "store: {path: data/hookgate.db}\n");
    try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
      String version = builtVersion();
      assertTrue(gw.output().contains("hookgate " + version + " starting"), gw.output());
      assertTrue(gw.get("/metrics").body().contains("hookgate_build_info{version=\"" + version + "\"} 1"),
          "build info in /metrics");
    }
  }

  /**
   * SIGTERM is the normal stop (systemd, make run's Ctrl-C is SIGINT): exit 0 after "stopped", no ERROR or
   * stack trace, each line dated in ISO 8601. Several stops, as the config watcher's scan (every second)
   * may be under way at the stop; the config file is on disk so that the watcher runs.
   */
  @Test
  void sigtermAndSigintStopCleanlyWithExitZeroAndDatedLines() throws Exception {
    Path config = dir.resolve("hookgate.yaml");
    Files.writeString(config, "store: {path: data/hookgate.db}\nshutdown: {grace: 1s}\n");
    java.util.regex.Pattern isoLine = java.util.regex.Pattern.compile(
        "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) (INFO|WARN|ERROR|DEBUG) ");
    for (String signal : List.of("TERM", "TERM", "INT")) {
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(gw.process().pid())).start();
        assertEquals(0, kill.waitFor());
        assertTrue(gw.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "stopped within 30 s");
        String log = gw.output();
        assertEquals(0, gw.process().exitValue(), "SIG" + signal + " exit status:\n" + log);
        assertTrue(log.contains(" stopping") && log.contains(" stopped"), log);
        for (String line : log.lines().toList()) {
          assertTrue(isoLine.matcher(line).find(), "a dated log line, not a stack trace or an undated one: " + line);
          assertTrue(!line.contains(" ERROR ") && !line.contains(" WARN "), line);
        }
      }
    }
  }

  @Test
  void checkConfigRefusesATemplateThatCannotCompile() throws Exception {
    Path config = Files.writeString(dir.resolve("hookgate.yaml"), """
        http: {host: 127.0.0.1}
        commands:
          report: {token: report-token-0123456789, job: {template: x}, reply: {template: "{{#output}}done"}}
        """);
    Run check = run("--check-config", config.toString());
    assertEquals(3, check.exit(), check.out());
    assertTrue(check.out().contains("commands.report.reply.template: is not a valid Mustache template"), check.out());
  }
}
