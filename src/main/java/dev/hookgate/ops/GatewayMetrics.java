package dev.hookgate.ops;

import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.ActivityHistory.Series;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * hookgate's own meters, beside Vert.x's. Labels never carry a secret: commands, hooks and
 * destinations by their config name, a response_url only as {@code response_url}. Every series of a
 * configured command, hook and destination exists from the start at 0 ({@link #declare}), so that
 * {@code rate()} and alerts work before the first event. Each destination's last hour is also kept
 * in an {@link ActivityHistory} for the admin page.
 */
public final class GatewayMetrics {
  public static final List<String> COMMAND_OUTCOMES = List.of("acked", "queue_full", "unauthorized", "throttled",
      "forbidden", "bad_request", "response_url_not_allowed", "store_unavailable");
  /** Outcomes of {@code command="unknown"}: requests to a URL no command is configured at. */
  public static final List<String> UNKNOWN_COMMAND_OUTCOMES = List.of("unknown_command");
  public static final List<String> HOOK_OUTCOMES = List.of("accepted", "duplicate", "invalid", "too_large",
      "channel_locked");
  /** Outcomes of {@code hook="unknown"}: posts whose key names no hook (or refused before it was read). */
  public static final List<String> UNKNOWN_HOOK_OUTCOMES = List.of("invalid_key", "invalid", "too_large", "throttled");
  public static final List<String> DELIVERY_OUTCOMES = List.of("delivered", "retried", "rate_limited", "fallback",
      "dead", "waiting_for_config");
  /** The name under which commands and hooks that match no configured one are counted. */
  public static final String UNKNOWN = "unknown";
  public static final List<String> JOB_OUTCOMES = List.of("succeeded", "failed");
  /** The lane of every response_url, as metrics name it. */
  public static final String RESPONSE_URL = "response_url";
  /** Job duration buckets: a template of a few milliseconds to hour-long reports. */
  static final Duration[] JOB_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(15),
      Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10),
      Duration.ofMinutes(30), Duration.ofHours(1)};
  /** Ack latency buckets: the chat server gives up after 3 s. */
  static final Duration[] ACK_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(3), Duration.ofSeconds(5)};

  /** A destination's pending deliveries: how many, and the age of the oldest in seconds. */
  public record Backlog(double depth, double oldestAgeSeconds) {
    static final Backlog EMPTY = new Backlog(0, 0);
  }

  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  /** Replaced whole at each refresh: a scrape reads one refresh, never a half-written one. */
  private final AtomicReference<Map<String, Backlog>> backlog = new AtomicReference<>(Map.of());
  private final Set<String> backlogGauges = ConcurrentHashMap.newKeySet();
  /** Each destination's pace (posts a second): its starting rate, then what its lane learned. */
  private final Map<String, Double> rates = new ConcurrentHashMap<>();
  private final AtomicReference<Map<String, String>> hookDestinations = new AtomicReference<>(Map.of());
  private final ActivityHistory history = new ActivityHistory();
  /** Meters by name and tags: looked up once, not rebuilt on every event. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  public GatewayMetrics(PrometheusMeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    // before any meter: promtool's lint refuses two names of Micrometer's binders, system_cpu_count
    // ("_count" suffix) and process_cpu_time_ns_total (abbreviated unit, published in seconds instead)
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
      }
    });
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    io.prometheus.metrics.core.metrics.Info.builder().name("hookgate_build_info")
        .help("hookgate's version (the value is always 1)").labelNames("version")
        .register(registry.getPrometheusRegistry()).addLabelValues(BuildInfo.version());
    throttled(0);
    responseUrlExhausted(0);
    UNKNOWN_COMMAND_OUTCOMES.forEach(o -> commandCounter(UNKNOWN, o));
    UNKNOWN_HOOK_OUTCOMES.forEach(o -> hookCounter(UNKNOWN, o));
  }

  public static GatewayMetrics create() {
    return new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Each destination's last hour, minute by minute, ending now. */
  public Map<String, Map<Series, double[]>> lastHour() {
    return history.lastHour(clock.millis());
  }

  /** Micrometer's JVM (memory, GC, threads, class loader) and process (CPU, uptime, file descriptors) meters. */
  public void bindJvmAndProcess() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu.seconds", os, o -> o.getProcessCpuTime() / 1e9)
          .description("CPU time used by the process").register(registry);
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry); // lives as long as the process: never closed
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * Creates at 0 every series of the config's commands, hooks and destinations (at start and after
   * each reload; series of removed names stay, with their last values, as Prometheus expects).
   */
  public void declare(GatewayConfig config) {
    Map<String, String> hooks = new HashMap<>();
    config.hooks().values().forEach(h -> hooks.put(h.name(), h.destination()));
    hookDestinations.set(Map.copyOf(hooks));
    config.commands().keySet().forEach(c -> {
      COMMAND_OUTCOMES.forEach(o -> commandCounter(c, o));
      JOB_OUTCOMES.forEach(o -> jobTimer(c, o));
      ackTimer(c);
    });
    hooks.keySet().forEach(h -> HOOK_OUTCOMES.forEach(o -> hookCounter(h, o)));
    List<String> lanes = new java.util.ArrayList<>(config.destinations().keySet());
    lanes.add(RESPONSE_URL);
    lanes.forEach(d -> {
      DELIVERY_OUTCOMES.forEach(o -> deliveryCounter(d, o));
      coalescedCounters(d);
      backlogGauges(d);
      if (!d.equals(RESPONSE_URL)) {
        history.declare(d);
      }
    });
    config.destinations().values().forEach(d -> {
      if (rates.putIfAbsent(d.name(), d.startingRate()) == null) {
        Gauge.builder("hookgate_destination_rate_per_second", () -> rates.getOrDefault(d.name(), 0.0))
            .description("The pace a destination's lane posts at, as learned from the chat server")
            .tag("destination", d.name()).register(registry);
      }
    });
  }

  /** The pace a destination's lane learned (posts a second). */
  public void destinationRate(String destination, double perSecond) {
    rates.put(destination, perSecond);
  }

  /** The pace of a destination (posts a second): learned, or its starting rate; null when unknown. */
  public Double destinationRate(String destination) {
    return rates.get(destination);
  }

  /** A slash command received: {@code outcome} is acked, queue_full, unauthorized, forbidden, bad_request, ... */
  public void command(String command, String outcome) {
    commandCounter(command, outcome).increment();
  }

  /** A notification posted to a relay hook: accepted, duplicate, invalid. */
  public void hook(String hook, String outcome) {
    hookCounter(hook, outcome).increment();
    String destination = hookDestinations.get().get(hook);
    if (destination != null && outcome.equals("accepted")) {
      history.count(destination, Series.ACCEPTED, 1, clock.millis());
    }
  }

  /** The ack of a command sent, {@code sinceArrival} after its request arrived. */
  public void commandAck(String command, Duration sinceArrival) {
    ackTimer(command).record(sinceArrival);
  }

  public void job(String command, String outcome, Duration duration) {
    jobTimer(command, outcome).record(duration);
  }

  /** One POST to the chat server: delivered, retried, rate_limited, dead, fallback. */
  public void delivery(String lane, String outcome, int messages) {
    deliveryCounter(lane, outcome).increment(messages);
    Series series = switch (outcome) {
      case "delivered" -> Series.DELIVERED;
      case "retried", "rate_limited" -> Series.RETRIED;
      case "dead" -> Series.DEAD;
      default -> null;
    };
    if (series != null && !lane.equals(RESPONSE_URL)) {
      history.count(lane, series, messages, clock.millis());
    }
  }

  /** A post that merged several queued messages. */
  public void coalesced(String lane, int merged) {
    Counter[] c = coalescedCounters(lane);
    c[0].increment();
    c[1].increment(merged);
  }

  /** A reply found its response_url spent (5 uses) or expired (30 minutes): it goes to the fallback, or dead. */
  public void responseUrlExhausted() {
    responseUrlExhausted(1);
  }

  /** A request refused (429) after repeated authentication failures from its address. */
  public void throttled() {
    throttled(1);
  }

  /**
   * The store's pending deliveries per destination ({count, created_at of the oldest}), refreshed
   * periodically: published as one immutable snapshot; destinations not named are at 0.
   */
  public void backlog(Map<String, long[]> byLane, long now) {
    Map<String, Backlog> next = new HashMap<>();
    byLane.forEach((lane, v) -> next.put(lane, new Backlog(v[0], v[0] == 0 ? 0 : Math.max(0, now - v[1]) / 1000.0)));
    backlog.set(Map.copyOf(next));
    next.keySet().forEach(this::backlogGauges);
    long at = clock.millis();
    for (String lane : backlogGauges) {
      if (!lane.equals(RESPONSE_URL)) {
        Backlog b = next.getOrDefault(lane, Backlog.EMPTY);
        history.gauge(lane, Series.QUEUE_DEPTH, b.depth(), at);
        history.gauge(lane, Series.OLDEST_AGE_SECONDS, b.oldestAgeSeconds(), at);
      }
    }
  }

  /** The last published backlog of a destination. */
  public Backlog backlogOf(String lane) {
    return backlog.get().getOrDefault(lane, Backlog.EMPTY);
  }

  private void backlogGauges(String lane) {
    if (backlogGauges.add(lane)) {
      Gauge.builder("hookgate_queue_depth", () -> backlogOf(lane).depth()).description("Pending deliveries")
          .tag("destination", lane).register(registry);
      Gauge.builder("hookgate_queue_oldest_age_seconds", () -> backlogOf(lane).oldestAgeSeconds())
          .description("Age of the oldest pending delivery").tag("destination", lane).register(registry);
    }
  }

  /** Named as HttpVerticle names it ({@code registry().counter("hookgate_http_throttled_total")}): the same meter. */
  private void throttled(int n) {
    counter("hookgate_http_throttled_total", "Requests refused (429) after repeated authentication failures from "
        + "their address").increment(n);
  }

  private void responseUrlExhausted(int n) {
    counter("hookgate_response_url_spent_replies", "Replies whose response_url was spent (5 uses) or expired "
        + "(30 minutes): each went to the fallback hook, or dead if ephemeral").increment(n);
  }

  private Counter commandCounter(String command, String outcome) {
    return counter("hookgate_commands", "Slash commands received, by outcome", "command", command, "outcome", outcome);
  }

  private Counter hookCounter(String hook, String outcome) {
    return counter("hookgate_hook_messages", "Messages posted to relay hooks, by outcome", "hook", hook,
        "outcome", outcome);
  }

  private Counter deliveryCounter(String lane, String outcome) {
    return counter("hookgate_deliveries", "Messages by destination and outcome", "destination", lane,
        "outcome", outcome);
  }

  private Counter[] coalescedCounters(String lane) {
    return new Counter[] {
        counter("hookgate_coalesced_posts", "Posts that merged several messages", "destination", lane),
        counter("hookgate_coalesced_messages", "Messages merged into coalesced posts", "destination", lane)};
  }

  private Timer jobTimer(String command, String outcome) {
    return timers.computeIfAbsent(command + "\0" + outcome, k -> Timer.builder("hookgate_job_duration")
        .description("Job run time, by command and outcome").tags("command", command, "outcome", outcome)
        .serviceLevelObjectives(JOB_BUCKETS).register(registry));
  }

  private Timer ackTimer(String command) {
    return timers.computeIfAbsent("\0ack\0" + command, k -> Timer.builder("hookgate_command_ack")
        .description("Time from a slash command's arrival to its ack sent, by command (acked requests only)")
        .tags("command", command).serviceLevelObjectives(ACK_BUCKETS).register(registry));
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + "\0" + String.join("\0", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
