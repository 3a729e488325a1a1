package dev.hookgate.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
  /** Meters by name and tags: looked up once, not rebuilt on every event. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

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
    counter("hookgate_commands", "Slash commands received, by outcome", "command", command, "outcome", outcome)
        .increment();
  }

  /** A notification posted to a relay hook: accepted, duplicate, invalid. */
  public void hook(String hook, String outcome) {
    counter("hookgate_hook_messages", "Messages posted to relay hooks, by outcome", "hook", hook, "outcome", outcome)
        .increment();
  }

  public void job(String command, String outcome, Duration duration) {
    timers.computeIfAbsent(command + "\0" + outcome, k -> Timer.builder("hookgate_job_duration")
        .description("Job run time, by command and outcome").tags("command", command, "outcome", outcome)
        .publishPercentileHistogram().register(registry)).record(duration);
  }

  /** One POST to the chat server: delivered, retried, rate_limited, dead, fallback. */
  public void delivery(String lane, String outcome, int messages) {
    counter("hookgate_deliveries", "Messages by destination and outcome", "destination", lane, "outcome", outcome)
        .increment(messages);
  }

  /** A post that merged several queued messages. */
  public void coalesced(String lane, int merged) {
    counter("hookgate_coalesced_posts", "Posts that merged several messages", "destination", lane).increment();
    counter("hookgate_coalesced_messages", "Messages merged into coalesced posts", "destination", lane)
        .increment(merged);
  }

  public void responseUrlExhausted() {
    counter("hookgate_response_url_exhausted", "response_urls spent or expired").increment();
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

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + "\0" + String.join("\0", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

}
