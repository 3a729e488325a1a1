package dev.hookgate.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hookgate.Services;
import dev.hookgate.protocol.TokenCheck;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.DeliveryState;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.Lanes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API under {@code /api} (jobs, deliveries, replay of dead letters, queue depths) and the
 * page over it at {@code /admin/}. Every API call needs {@code Authorization: Bearer <admin.token>};
 * without a configured token both are disabled (404). Nothing here ever shows a response_url: it
 * holds the secret id of a chat server's hook, so lanes are shown as {@code response_url@host}.
 */
final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  static final int MAX_TEXT = 500;

  private final Services services;
  private final AuthThrottleGuard throttle;

  AdminApi(Services services, AuthThrottleGuard throttle) {
    this.services = services;
    this.throttle = throttle;
  }

  /** Registers {@code /api/*} and {@code /admin/*} on the router. */
  void mount(Router router) {
    router.route("/api/*").handler(this::authenticate);
    router.get("/api/jobs/:id").handler(this::job);
    router.get("/api/jobs").handler(this::jobs);
    router.get("/api/deliveries").handler(this::deliveries);
    router.post("/api/deliveries/:id/retry").handler(this::retry);
    router.get("/api/queues").handler(this::queues);
    router.get("/api/history").handler(this::history);
    router.route("/admin").handler(this::enabled);
    router.route("/admin/*").handler(this::enabled);
    router.get("/admin").handler(ctx -> {
      if (ctx.request().path().equals("/admin")) {
        ctx.redirect("/admin/"); // the page's links are relative to /admin/
      } else {
        ctx.next();
      }
    });
    router.route("/admin/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::pageHeaders)
        .handler(StaticHandler.create("webroot/admin").setCachingEnabled(false).setDirectoryListing(false));
  }

  private Optional<String> token() {
    return services.config().admin().token().filter(t -> !t.isBlank());
  }

  private void enabled(RoutingContext ctx) {
    if (token().isEmpty()) {
      ErrorReplies.send(ctx, 404, "not_found", "the admin API is disabled (admin.token is not set)");
      return;
    }
    ctx.next();
  }

  /** The admin token ({@code Authorization: Bearer}), checked once per request; failures go through the throttle. */
  private void authenticate(RoutingContext ctx) {
    Optional<String> expected = Exchange.of(ctx).config().admin().token().filter(t -> !t.isBlank());
    if (expected.isEmpty()) {
      enabled(ctx);
      return;
    }
    ctx.response().putHeader("Cache-Control", "no-store");
    String header = ctx.request().getHeader("Authorization");
    String presented = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = header.substring(7).trim();
    }
    boolean missing = presented == null || presented.isEmpty();
    boolean authentic = !missing && TokenCheck.matches(expected.get(), presented);
    if (!throttle.admit(ctx, authentic)) {
      return; // the throttle answered 429
    }
    if (missing) {
      ErrorReplies.send(ctx, 401, "unauthorized", "missing admin token (Authorization: Bearer <admin.token>)");
    } else if (!authentic) {
      LOG.warn("admin API: invalid token from {}", ctx.request().remoteAddress());
      ErrorReplies.send(ctx, 401, "unauthorized", "invalid admin token");
    } else {
      ctx.next();
    }
  }

  private void pageHeaders(RoutingContext ctx) {
    ctx.response().putHeader("X-Frame-Options", "DENY").putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer").putHeader("Cache-Control", "no-cache");
    ctx.next();
  }

  // ---------------------------------------------------------------- jobs

  private void job(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    reply(ctx, services.admin().job(id).map(job -> job.map(this::jobJson)), "no job with id " + id);
  }

  private void jobs(RoutingContext ctx) {
    Integer limit = limit(ctx);
    if (limit != null) {
      reply(ctx, services.admin().recentJobs(limit)
          .map(list -> Optional.of(new JsonArray(list.stream().map(this::jobJson).toList()))), null);
    }
  }

  private JsonObject jobJson(JobRecord j) {
    Long duration = j.startedAt() != null && j.finishedAt() != null ? j.finishedAt() - j.startedAt() : null;
    return new JsonObject().put("id", j.id()).put("command", j.command()).put("state", j.state().dbName())
        .put("attempts", j.attempts()).put("created_at", j.createdAt()).put("started_at", j.startedAt())
        .put("finished_at", j.finishedAt()).put("duration_ms", duration).put("outcome", j.outcome())
        .put("text", j.request().get("text")).put("user_name", j.request().get("user_name"))
        .put("channel_name", j.request().get("channel_name"));
  }

  // ---------------------------------------------------------------- deliveries

  private void deliveries(RoutingContext ctx) {
    String s = ctx.queryParams().get("state");
    if (s == null || !List.of("pending", "dead", "delivered").contains(s.toLowerCase(Locale.ROOT))) {
      ErrorReplies.send(ctx, 400, "bad_request", "state must be one of pending, dead, delivered");
      return;
    }
    Integer limit = limit(ctx);
    if (limit != null) {
      reply(ctx, services.admin().deliveries(DeliveryState.fromDb(s), limit)
          .map(list -> Optional.of(new JsonArray(list.stream().map(AdminApi::deliveryJson).toList()))), null);
    }
  }

  private void retry(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ErrorReplies.send(ctx, 400, "bad_request", "delivery id must be a number");
      return;
    }
    reply(ctx, services.admin().replay(id, services.now()).map(replayed -> {
      if (!replayed) {
        return Optional.<JsonObject>empty();
      }
      LOG.info("admin API: dead delivery {} replayed", id);
      return Optional.of(new JsonObject().put("id", id).put("state", "pending"));
    }), "no dead delivery with id " + id);
  }

  static JsonObject deliveryJson(Delivery d) {
    String text = d.message().text();
    return new JsonObject().put("id", d.id()).put("lane", d.responseUrl() == null ? Lanes.publicName(d.lane()) : "response_url@" + host(d.responseUrl())).put("state", d.state().dbName())
        .put("attempts", d.attempts()).put("last_error", d.lastError()).put("created_at", d.createdAt())
        .put("delivered_at", d.deliveredAt()).put("hook", d.hook()).put("job_id", d.jobId())
        .put("fallback", d.fallback())
        .put("text", text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…");
  }

  // ---------------------------------------------------------------- queues

  private void queues(RoutingContext ctx) {
    long now = services.now();
    reply(ctx, services.admin().backlog().map(backlog -> {
      Map<String, long[]> lanes = new LinkedHashMap<>(); // safe lane -> {pending, oldest created_at}
      services.config().destinations().keySet().forEach(d -> lanes.put(d, new long[] {0, Long.MAX_VALUE}));
      backlog.forEach((lane, v) -> lanes.merge(Lanes.publicName(lane), v.clone(),
          (a, b) -> new long[] {a[0] + b[0], Math.min(a[1], b[1])}));
      JsonArray out = new JsonArray();
      lanes.forEach((lane, v) -> out.add(new JsonObject().put("lane", lane).put("pending", v[0])
          .put("oldest_age_ms", v[0] == 0 ? null : Math.max(0, now - v[1]))
          .put("rate_per_second", services.metrics().destinationRate(lane))));
      return Optional.of(out);
    }), null);
  }

  /**
   * Per destination, the last hour minute by minute (oldest first): messages accepted, delivered,
   * retried, dead, and the highest queue depth and oldest age (seconds) seen in each minute.
   */
  private void history(RoutingContext ctx) {
    JsonArray destinations = new JsonArray();
    services.metrics().lastHour().forEach((destination, series) -> {
      JsonObject d = new JsonObject().put("destination", destination);
      series.forEach((s, values) -> d.put(s.key(), new JsonArray(java.util.Arrays.stream(values).boxed().toList())));
      destinations.add(d);
    });
    ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
        .put("minutes", dev.hookgate.ops.ActivityHistory.MINUTES).put("destinations", destinations).encode());
  }

  /** Only the host of a response_url may be shown: its path holds a secret id. */
  private static String host(String responseUrl) {
    try {
      String host = URI.create(responseUrl).getHost();
      return host == null ? "?" : host;
    } catch (IllegalArgumentException e) {
      return "?";
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The {@code limit} query parameter, or null once a 400 was answered. */
  private static Integer limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    ErrorReplies.send(ctx, 400, "bad_request", "limit must be an integer from 1 to " + MAX_LIMIT);
    return null;
  }

  /** 200 with the JSON, 404 with {@code notFound} when empty, 503 when the store failed. */
  private static void reply(RoutingContext ctx, Future<? extends Optional<?>> result, String notFound) {
    result.onSuccess(value -> {
      if (value.isEmpty()) {
        ErrorReplies.send(ctx, 404, "not_found", notFound);
      } else if (!ctx.response().ended()) {
        ctx.response().putHeader("content-type", "application/json").end(
            value.get() instanceof JsonArray a ? a.encode() : ((JsonObject) value.get()).encode());
      }
    }).onFailure(e -> {
      LOG.error("admin API {}: the store failed: {}", ctx.normalizedPath(), e.toString());
      ErrorReplies.send(ctx, 503, "unavailable", "the store cannot answer right now; try again");
    });
  }
}
