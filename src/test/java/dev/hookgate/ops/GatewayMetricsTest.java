package dev.hookgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.config.ConfigParser;
import dev.hookgate.ops.ActivityHistory.Series;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  static final long NOW = 1_800_000_000_000L;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final GatewayMetrics metrics = new GatewayMetrics(registry, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

  double gauge(String name, String destination) {
    return registry.get(name).tag("destination", destination).gauge().value();
  }

  @Test
  void backlogIsPublishedWholeAndADestinationNoLongerNamedIsBackAtZero() {
    metrics.backlog(Map.of("ops", new long[] {3, NOW - 10_000}, "idle", new long[] {1, NOW - 2_000}), NOW);
    assertEquals(3, gauge("hookgate_queue_depth", "ops"));
    assertEquals(10, gauge("hookgate_queue_oldest_age_seconds", "ops"));
    assertEquals(1, gauge("hookgate_queue_depth", "idle"));
    metrics.backlog(Map.of("idle", new long[] {2, NOW - 4_000}), NOW);
    assertEquals(0, gauge("hookgate_queue_depth", "ops"));
    assertEquals(0, gauge("hookgate_queue_oldest_age_seconds", "ops"));
    assertEquals(2, gauge("hookgate_queue_depth", "idle"));
    assertEquals(3, metrics.lastHour().get("ops").get(Series.QUEUE_DEPTH)[59], "the minute keeps its highest");
  }

  @Test
  void declaredNamesHaveEverySeriesAtZeroAndFeedTheHistory() {
    metrics.declare(ConfigParser.parse(new JsonObject("""
        {"destinations": {"ops": {"url": "https://team.example.org/hooks/x"}},
         "hooks": {"alerts": {"key": "alerts-hook-key-0123", "destination": "ops"}},
         "commands": {"echo": {"token": "xdt3bq8kyjgbxfyhsnd4c1nqwe", "job": {"template": "x"}}}}""")));
    String scrape = registry.scrape();
    for (String series : new String[] {"hookgate_commands_total{command=\"echo\",outcome=\"acked\"} 0.0",
        "hookgate_hook_messages_total{hook=\"alerts\",outcome=\"invalid\"} 0.0",
        "hookgate_deliveries_total{destination=\"ops\",outcome=\"rate_limited\"} 0.0",
        "hookgate_coalesced_posts_total{destination=\"ops\"} 0.0",
        "hookgate_job_duration_seconds_bucket{command=\"echo\",outcome=\"succeeded\",le=\"3600.0\"} 0",
        "hookgate_build_info{version=\"" + BuildInfo.version() + "\"} 1"}) {
      assertTrue(scrape.contains(series), series + " in\n" + scrape);
    }
    metrics.hook("alerts", "accepted");
    metrics.delivery("ops", "rate_limited", 2);
    metrics.delivery("response_url", "delivered", 1);
    assertEquals(1, metrics.lastHour().get("ops").get(Series.ACCEPTED)[59]);
    assertEquals(2, metrics.lastHour().get("ops").get(Series.RETRIED)[59]);
    assertEquals(java.util.Set.of("ops"), metrics.lastHour().keySet(), "response_urls are not charted");
  }
}
