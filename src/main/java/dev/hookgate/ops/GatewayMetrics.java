package dev.hookgate.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * hookgate's own meters, beside Vert.x's. Labels never carry a secret: commands, hooks and
 * destinations by their config name, a response_url only as {@code response_url}.
 */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry;
  private final Map<String, double[]> backlog = new ConcurrentHashMap<>();

  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static GatewayMetrics create() {
    return new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** A slash command received: {@code outcome} is acked, queue_full, unauthorized, forbidden, bad_request, ... */
  public void command(String command, String outcome) {
    Counter.builder("hookgate_commands").description("Slash commands received, by outcome")
        .tags("command", command, "outcome", outcome).register(registry).increment();
  }

  /** A notification posted to a relay hook: accepted, duplicate, invalid. */
  public void hook(String hook, String outcome) {
    Counter.builder("hookgate_hook_messages").description("Messages posted to relay hooks, by outcome")
        .tags("hook", hook, "outcome", outcome).register(registry).increment();
  }

  public void job(String command, String outcome, Duration duration) {
    Timer.builder("hookgate_job_duration").description("Job run time, by command and outcome")
        .tags("command", command, "outcome", outcome).publishPercentileHistogram().register(registry).record(duration);
  }

  /** One POST to the chat server: delivered, retried, rate_limited, dead, fallback. */
  public void delivery(String lane, String outcome, int messages) {
    Counter.builder("hookgate_deliveries").description("Messages by destination and outcome")
        .tags("destination", lane, "outcome", outcome).register(registry).increment(messages);
  }

  /** A post that merged several queued messages. */
  public void coalesced(String lane, int merged) {
    Counter.builder("hookgate_coalesced_posts").description("Posts that merged several messages")
        .tags("destination", lane).register(registry).increment();
    Counter.builder("hookgate_coalesced_messages").description("Messages merged into coalesced posts")
        .tags("destination", lane).register(registry).increment(merged);
  }

  public void responseUrlExhausted() {
    Counter.builder("hookgate_response_url_exhausted").description("response_urls spent or expired")
        .register(registry).increment();
  }

  /** The store's pending deliveries per destination: count and age of the oldest, refreshed periodically. */
  public void backlog(Map<String, long[]> byLane, long now) {
    backlog.keySet().forEach(k -> backlog.get(k)[0] = 0);
    backlog.keySet().forEach(k -> backlog.get(k)[1] = 0);
    byLane.forEach((lane, v) -> {
      double[] cell = backlog.computeIfAbsent(lane, this::registerBacklog);
      cell[0] += v[0];
      cell[1] = Math.max(cell[1], (now - v[1]) / 1000.0);
    });
  }

  private double[] registerBacklog(String lane) {
    double[] cell = new double[2];
    Gauge.builder("hookgate_queue_depth", cell, c -> c[0]).description("Pending deliveries")
        .tag("destination", lane).register(registry);
    Gauge.builder("hookgate_queue_oldest_age_seconds", cell, c -> c[1]).description("Age of the oldest pending delivery")
        .tag("destination", lane).register(registry);
    return cell;
  }

  public MeterRegistry meters() {
    return registry;
  }
}
