package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/hookgate.service as installed: its own install steps run under a scratch root (owners left
 * out, no useradd or systemctl), then every path the unit names exists, its ExecStartPre passes and
 * its ExecStart, in its WorkingDirectory with its Environment, serves and runs the example report
 * script. The sandbox's {@code systemd-analyze security} exposure is printed and bounded when
 * systemd-analyze is installed.
 */
class SystemdUnitIT {
  static final Path UNIT = Path.of("conf/hookgate.service");
  static final String ADMIN = "systemd-admin-token-0123456789";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path root;

  String rooted(String line) {
    return line.replaceAll("(?<=^|[ =@])/(opt|etc|var)/", root + "/$1/");
  }

  @Test
  void theUnitWorksAsItsInstallStepsLeaveIt() throws Exception {
    String unit = Files.readString(UNIT);
    for (String step : unit.lines().filter(l -> l.startsWith("#   install ")).toList()) {
      String cmd = rooted(step.substring(4)).replace("-o root -g hookgate ", "")
          .replace(" && systemctl daemon-reload", "").replace("target/hookgate.jar", GatewayProcess.jar().toAbsolutePath().toString());
      if (cmd.contains("/etc/systemd/system/")) {
        Files.createDirectories(root.resolve("etc/systemd/system"));
      }
      Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), cmd + "\n" + out);
    }
    Map<String, String> directives = directives(unit);
    Path workdir = Path.of(rooted(directives.get("WorkingDirectory")));
    Path state = root.resolve("var/lib").resolve(directives.get("StateDirectory"));
    Files.createDirectories(state); // what systemd does for StateDirectory=
    assertTrue(Files.isDirectory(workdir), "WorkingDirectory " + workdir);
    List<String> pre = List.of(rooted(directives.get("ExecStartPre")).split(" "));
    List<String> start = new ArrayList<>(List.of(rooted(directives.get("ExecStart")).split(" ")));
    for (String arg : start) {
      if (arg.startsWith(root.toString())) {
        assertTrue(Files.exists(Path.of(arg)), "the unit names " + arg + ": it must exist after the install steps");
      }
    }
    pre = new ArrayList<>(pre);
    pre.set(0, GatewayProcess.javaBin());
    start.set(0, GatewayProcess.javaBin());
    Map<String, String> env = new HashMap<>();
    for (String e : unit.lines().filter(l -> l.startsWith("Environment=")).toList()) {
      String[] kv = rooted(e.substring("Environment=".length())).split("=", 2);
      env.put(kv[0], kv[1]);
    }
    assertEquals(state.resolve("hookgate.db").toString(), env.get("HOOKGATE_STORE_PATH"), "the store is in the state directory");

    Process check = process(pre, workdir, env).start();
    String checked = new String(check.getInputStream().readAllBytes());
    assertEquals(0, check.waitFor(), "ExecStartPre: " + checked);

    env.put("HOOKGATE_HTTP_PORT", "0");
    env.put("HOOKGATE_HTTP_HOST", "127.0.0.1");
    env.put("HOOKGATE_ADMIN_TOKEN", ADMIN); // as /etc/hookgate/env would
    Path log = root.resolve("hookgate.log");
    Process gw = process(start, workdir, env).redirectOutput(log.toFile()).start();
    try {
      await("the start line", 30_000, () -> GatewayProcess.listeningPort(read(log)).isPresent() || !gw.isAlive());
      int port = GatewayProcess.listeningPort(read(log)).orElseThrow(() -> new AssertionError(read(log)));
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> ack = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/commands/report"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("token=change-me-report-token-00&text=weekly&user_id=u"
              + "&channel_id=c&response_url=https%3A%2F%2Fteam.example.org%2Fhooks%2Fcommands%2Fabc")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ack.statusCode(), ack.body());
      await("the example report script to run", 20_000, () -> jobState(base).equals("succeeded")
          || jobState(base).equals("failed"));
      assertEquals("succeeded", jobState(base), "conf/scripts/report.sh ran from the WorkingDirectory\n" + read(log));
      assertTrue(Files.exists(state.resolve("hookgate.db")), "the store in the state directory");
    } finally {
      gw.destroyForcibly().waitFor();
    }
    exposure();
  }

  /** Prints systemd-analyze's exposure score of the unit; at most Debian's systemd-timesyncd (2.3). */
  static void exposure() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
      System.out.println("SystemdUnitIT: systemd-analyze is not installed; exposure not measured");
      return;
    }
    Process p = new ProcessBuilder("systemd-analyze", "security", "--offline=yes", UNIT.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    Matcher m = Pattern.compile("Overall exposure level for hookgate.service: (\\d+\\.\\d+)").matcher(out);
    assertTrue(m.find(), out);
    System.out.println("SystemdUnitIT: systemd-analyze security exposure of conf/hookgate.service: " + m.group(1));
    assertTrue(Double.parseDouble(m.group(1)) <= 2.3, "exposure " + m.group(1) + "\n" + out);
  }

  String jobState(String base) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs?limit=1"))
          .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
      JsonArray jobs = new JsonArray(r.body());
      return jobs.isEmpty() ? "" : jobs.getJsonObject(0).getString("state");
    } catch (Exception e) {
      return "";
    }
  }

  static ProcessBuilder process(List<String> cmd, Path workdir, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(n -> n.startsWith("HOOKGATE_"));
    pb.environment().putAll(env);
    return pb;
  }

  /** The unit's single-valued directives (the last one wins, as in systemd). */
  static Map<String, String> directives(String unit) {
    Map<String, String> out = new HashMap<>();
    unit.lines().filter(l -> !l.startsWith("#") && l.contains("=")).forEach(l -> {
      String[] kv = l.split("=", 2);
      out.put(kv[0], kv[1]);
    });
    return out;
  }

  static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return "";
    }
  }
}
