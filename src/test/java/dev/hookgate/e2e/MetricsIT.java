package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics of the fat jar as Prometheus users scrape it: after a scenario that fires hookgate's
 * counters (the auth throttle included) the scrape passes {@code promtool check metrics}; series of
 * configured names exist at 0 before any event; JVM and process meters are there; job buckets reach an
 * hour; the example dashboard and alert rules use series that exist, and the rules pass promtool.
 */
class MetricsIT {
  static final String TOKEN = "metricstoken0123456789ab";
  static final String KEY = "metricskey0123456789abcd";

  @TempDir Path dir;

  @Test
  void scrapeAfterEveryCounterFiredPassesPromtoolAndHoldsTheExpectedSeries() throws Exception {
    try (FakeChatServer chat = FakeChatServer.start()) {
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, """
          store: {path: data/hookgate.db}
          security: {auth-failures-per-minute: 3}
          response-url: {allowed-hosts: ["http://127.0.0.1:%1$d"]}
          delivery: {backoff: [200ms]}
          destinations:
            ops: {url: "%2$s", rate-per-second: 100, burst: 100}
            idle: {url: "%3$s"}
          commands:
            echo: {token: %4$s, job: {template: "echo {{text}}"}}
            unused: {token: unusedtoken0123456789ab, job: {template: "x"}}
          hooks:
            alerts: {key: %5$s, destination: ops}
            quiet: {key: quietkey0123456789abcdef, destination: idle}
          """.formatted(chat.port(), chat.incomingHookUrl("opsid"), chat.incomingHookUrl("idleid"), TOKEN, KEY));
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        String before = scrape(gw);
        for (String series : List.of("hookgate_commands_total{command=\"unused\",outcome=\"acked\"} 0.0",
            "hookgate_hook_messages_total{hook=\"quiet\",outcome=\"accepted\"} 0.0",
            "hookgate_deliveries_total{destination=\"idle\",outcome=\"dead\"} 0.0",
            "hookgate_deliveries_total{destination=\"response_url\",outcome=\"delivered\"} 0.0",
            "hookgate_queue_depth{destination=\"idle\"} 0.0",
            "hookgate_job_duration_seconds_count{command=\"unused\",outcome=\"failed\"} 0",
            "hookgate_response_url_spent_replies_total 0.0",
            "hookgate_http_throttled_total 0.0")) {
          assertTrue(before.contains(series), "known series at 0 from the start: " + series);
        }

        String form = "token=" + TOKEN + "&text=hi&user_id=u&channel_id=c&response_url="
            + URLEncoder.encode(chat.issueResponseUrl(), StandardCharsets.UTF_8);
        assertEquals(200, gw.postForm("/commands/echo", form).statusCode());
        chat.failFor(60_000, 503); // the first attempt fails: retried
        for (int i = 0; i < 5; i++) {
          assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"line " + i + "\"}").statusCode());
        }
        await("a refused attempt", 10_000, () -> !chat.requestTimes().isEmpty());
        chat.failFor(0, 503);
        assertEquals(200, gw.postJson("/hooks/" + KEY, "{\"text\":\"once\"}").statusCode());
        await("every delivery", 20_000, () -> value(scrape(gw),
            "hookgate_deliveries_total", "destination=\"ops\",outcome=\"delivered\"") == 6);
        assertEquals(400, gw.postJson("/hooks/" + KEY, "{\"text\": 5}").statusCode());
        // the throttle last: it refuses this address for a minute
        for (int i = 0; i < 3; i++) {
          assertEquals(401, gw.postForm("/commands/echo", "token=wrong&user_id=u").statusCode());
        }
        assertEquals(429, gw.postForm("/commands/echo", "token=wrong&user_id=u").statusCode());

        String metrics = scrape(gw);
        assertEquals(1, value(metrics, "hookgate_commands_total", "command=\"echo\",outcome=\"acked\""));
        assertEquals(3, value(metrics, "hookgate_commands_total", "command=\"echo\",outcome=\"unauthorized\""));
        assertEquals(6, value(metrics, "hookgate_hook_messages_total", "hook=\"alerts\",outcome=\"accepted\""));
        assertTrue(value(metrics, "hookgate_deliveries_total", "destination=\"ops\",outcome=\"retried\"") >= 1);
        assertTrue(value(metrics, "hookgate_http_throttled_total", "") >= 1, "the throttle fired");
        assertTrue(metrics.contains("# HELP hookgate_http_throttled_total "), "help text of the throttle counter");
        assertTrue(metrics.contains("hookgate_job_duration_seconds_bucket{command=\"echo\",outcome=\"succeeded\",le=\"3600.0\"} 1"),
            "job buckets reach an hour");
        assertTrue(metrics.contains("hookgate_job_duration_seconds_bucket{command=\"echo\",outcome=\"succeeded\",le=\"0.005\"}"),
            "job buckets start at 5 ms");
        assertEquals(1, value(metrics, "hookgate_command_ack_seconds_count", "command=\"echo\""), "the ack timed");
        assertEquals(1, value(metrics, "hookgate_command_ack_seconds_bucket", "command=\"echo\",le=\"5.0\""),
            "the ack within the last bucket");
        for (String jvm : List.of("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
            "system_cpus ", "process_cpu_usage ", "process_uptime_seconds ", "process_cpu_seconds_total ", "process_files_open_files ")) {
          assertTrue(metrics.contains(jvm), "JVM/process meter " + jvm);
        }
        promtool(metrics, "check", "metrics");
        for (String name : seriesOf(Files.readString(Path.of("conf/grafana/hookgate-dashboard.json")))) {
          assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(metrics).find(), "the dashboard's " + name + " is scraped");
        }
        for (String name : seriesOf(Files.readString(Path.of("conf/prometheus/hookgate-alerts.yml")))) {
          assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(metrics).find(), "the alert rules' " + name + " is scraped");
        }
      }
    }
  }

  /**
   * The README's metrics table, read as a newcomer reads it: on a scrape taken before any request,
   * every series it names is there, with every outcome it lists, and at 0 (the build info at 1).
   */
  @Test
  void scrapeBeforeAnyTrafficHoldsEveryDocumentedSeriesAtZero() throws Exception {
    Path config = dir.resolve("hookgate.yaml");
    Files.writeString(config, """
        store: {path: data/hookgate.db}
        destinations:
          ops: {url: "https://chat.example.org/hooks/opsid"}
        commands:
          echo: {token: %s, job: {template: "echo {{text}}"}}
        hooks:
          alerts: {key: %s, destination: ops}
        """.formatted(TOKEN, KEY));
    List<String> rows = Files.readString(Path.of("README.md")).lines()
        .filter(l -> l.startsWith("| `hookgate_")).toList();
    assertTrue(rows.size() >= 8, "the README's metrics table: " + rows);
    try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
      String metrics = scrape(gw);
      for (String row : rows) {
        String[] cells = row.split("\\|");
        Matcher outcomes = Pattern.compile("`outcome` \\(([^)]*)\\)").matcher(cells[2]);
        List<String> listed = outcomes.find() ? List.of(outcomes.group(1).split(",\\s*")) : List.of();
        Matcher names = Pattern.compile("`(hookgate_[a-z_]+)`").matcher(cells[1]);
        while (names.find()) {
          String name = names.group(1);
          String sample = name.endsWith("_seconds") && !name.contains("queue") ? name + "_count" : name;
          Matcher lines = Pattern.compile("(?m)^" + sample + "(?:\\{([^}]*)})? (\\S+)$").matcher(metrics);
          List<String> seen = new ArrayList<>();
          while (lines.find()) {
            String labels = lines.group(1) == null ? "" : lines.group(1);
            // build_info is 1; a destination's pace starts at its rate (10/s when none is configured); the rest at 0
            double expected = name.equals("hookgate_build_info") ? 1
                : name.equals("hookgate_destination_rate_per_second") ? 10 : 0;
            assertEquals(expected, Double.parseDouble(lines.group(2)), "before any traffic: " + lines.group());
            seen.add(labels);
          }
          assertTrue(!seen.isEmpty(), "the README documents " + name + ": it is scraped from the start");
          for (String outcome : listed) {
            assertTrue(seen.stream().anyMatch(l -> l.contains("outcome=\"" + outcome + "\"")),
                name + " with outcome=\"" + outcome + "\" at 0 from the start; scraped: " + seen);
          }
        }
      }
    }
  }

  @Test
  void alertRulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
    String tests = Files.readString(Path.of("conf/prometheus/hookgate-alerts-test.yml"));
    Matcher alerts = Pattern.compile("(?m)^\\s*- alert: (\\S+)$").matcher(
        Files.readString(Path.of("conf/prometheus/hookgate-alerts.yml")));
    while (alerts.find()) {
      assertTrue(Pattern.compile("alertname: " + alerts.group(1) + "\\s+exp_alerts:\\s+- exp_labels").matcher(tests).find(),
          "the rules' tests fire " + alerts.group(1));
    }
    promtool(null, "check", "rules", "conf/prometheus/hookgate-alerts.yml");
    promtool(null, "test", "rules", "conf/prometheus/hookgate-alerts-test.yml");
    JsonObject dashboard = new JsonObject(Files.readString(Path.of("conf/grafana/hookgate-dashboard.json")));
    assertTrue(dashboard.getJsonArray("panels").size() >= 8, "the dashboard has its panels");
  }

  /** hookgate_, jvm_ and process_ series named in a file (buckets and counts by their full name). */
  static List<String> seriesOf(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\\b((?:hookgate|jvm|process)_[a-z_]+)").matcher(text);
    while (m.find()) {
      if (!names.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** Runs promtool (Debian's prometheus package): skipped when absent, except under CI=true. */
  static void promtool(String stdin, String... args) throws Exception {
    boolean installed = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "promtool")));
    if (!installed && !"true".equals(System.getenv("CI"))) {
      System.out.println("MetricsIT: promtool is not installed (apt-get install prometheus); promtool checks skipped");
      Assumptions.abort("promtool is not installed");
    }
    List<String> cmd = new ArrayList<>(List.of("promtool"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "promtool " + String.join(" ", args) + ":\n" + out);
  }

  static String scrape(GatewayProcess gw) {
    try {
      return gw.get("/metrics").body();
    } catch (Exception e) {
      return "";
    }
  }

  static double value(String metrics, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$").matcher(metrics);
    while (m.find()) {
      if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }
}
