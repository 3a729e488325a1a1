package dev.hookgate.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Plays Mattermost for end-to-end tests: {@code POST /hooks/commands/{id}} is a response_url with
 * Mattermost's rules (5 uses, 404 when unknown or expired, 400 on bad JSON without using a use,
 * 400 "Invalid webhook." on the 6th use), and {@code POST /hooks/{id}} is an incoming webhook that
 * can be told to fail (503 for a while) or to rate-limit (429 with Retry-After).
 */
public final class FakeChatServer implements AutoCloseable {
  /** One request the fake server accepted (status 200). */
  public record Post(String path, JsonObject body, long receivedAt) {
    public String text() {
      return body.getString("text", "");
    }
  }

  private record ResponseUrl(long createdAt, AtomicInteger uses) {}

  private static final String ALPHABET = "abcdefghijkmnopqrstuwxyz13456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final List<Long> allRequestTimes = new CopyOnWriteArrayList<>();
  private final List<long[]> rateLimited = new CopyOnWriteArrayList<>();
  private final Map<String, ResponseUrl> responseUrls = new ConcurrentHashMap<>();
  private volatile long failUntil;
  private volatile long commandHooksLimitedUntil;
  private volatile int failStatus = 503;
  private volatile double ratePerSecond;
  private volatile long nextAllowed;
  private volatile long latencyMs;
  private volatile boolean blocksAreContent;
  private volatile long commandHookLatencyMs;
  /** Mattermost's limiter (a token bucket sending X-RateLimit-* on every answer); null: off. */
  private double[] headerLimiter;
  private long headerLimiterLast;

  private FakeChatServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static FakeChatServer start() throws Exception {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    FakeChatServer[] self = new FakeChatServer[1];
    router.post("/hooks/commands/:id").handler(BodyHandler.create(false)).handler(ctx -> self[0].commandHook(ctx));
    router.post("/hooks/:id").handler(BodyHandler.create(false)).handler(ctx -> self[0].incomingHook(ctx));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    self[0] = new FakeChatServer(vertx, server);
    return self[0];
  }

  public int port() {
    return server.actualPort();
  }

  public String base() {
    return "http://127.0.0.1:" + port();
  }

  /** A fresh response_url, valid for 30 minutes from now, 5 uses. */
  public String issueResponseUrl() {
    String id = newId();
    responseUrls.put(id, new ResponseUrl(System.currentTimeMillis(), new AtomicInteger()));
    return base() + "/hooks/commands/" + id;
  }

  /** Ages a response_url past Mattermost's 30 minutes. */
  public void expire(String responseUrl) {
    String id = responseUrl.substring(responseUrl.lastIndexOf('/') + 1);
    responseUrls.computeIfPresent(id, (k, v) -> new ResponseUrl(0, v.uses()));
  }

  public String incomingHookUrl(String id) {
    return base() + "/hooks/" + id;
  }

  /** Incoming hooks answer {@code status} until {@code millis} from now. */
  public void failFor(long millis, int status) {
    failStatus = status;
    failUntil = System.currentTimeMillis() + millis;
  }

  /** Incoming hooks accept {@code perSecond} posts a second, answering 429 with Retry-After beyond. */
  public void rateLimit(double perSecond) {
    ratePerSecond = perSecond;
  }

  /** Incoming hooks accept a payload with {@code blocks} and no text, as Slack's do (Mattermost's refuse it). */
  public void acceptBlocksLikeSlack() {
    blocksAreContent = true;
  }

  /**
   * Incoming hooks are limited as Mattermost's RateLimitSettings does: {@code perSecond} with
   * {@code burst} saved up, {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset}
   * (seconds until the bucket is full, rounded up) on every answer, 429 with Retry-After beyond.
   */
  public synchronized void rateLimitWithHeaders(double perSecond, int burst) {
    headerLimiter = new double[] {perSecond, burst, burst};
    headerLimiterLast = System.currentTimeMillis();
  }

  /** Every incoming-hook answer waits this long. */
  public void latency(long millis) {
    latencyMs = millis;
  }

  /** Every response_url answer (accepted or not) waits this long, as a loaded chat server's. */
  public void commandHookLatency(long millis) {
    commandHookLatencyMs = millis;
  }

  /** How many posts a response_url has counted as uses (accepted or refused as the 6th). */
  public int uses(String responseUrl) {
    ResponseUrl url = responseUrls.get(responseUrl.substring(responseUrl.lastIndexOf('/') + 1));
    return url == null ? 0 : url.uses().get();
  }

  public List<Post> posts() {
    return List.copyOf(posts);
  }

  public List<Post> postsTo(String pathPrefix) {
    List<Post> out = new ArrayList<>();
    posts.forEach(p -> {
      if (p.path().startsWith(pathPrefix)) {
        out.add(p);
      }
    });
    return out;
  }

  /** Every 429 answered: {time, Retry-After in ms}. */
  public List<long[]> rateLimited() {
    return List.copyOf(rateLimited);
  }

  /** Times of every incoming-hook request, accepted or not. */
  public List<Long> requestTimes() {
    return List.copyOf(allRequestTimes);
  }

  /** Polls until the condition holds; fails the test at the deadline. Never a bare sleep. */
  public static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  /** response_urls answer 429 with Retry-After: 1 (Mattermost's rate limiter, before any lookup) for a while. */
  public void rateLimitCommandHooksFor(long millis) {
    commandHooksLimitedUntil = System.currentTimeMillis() + millis;
  }

  private void commandHook(RoutingContext ctx) {
    if (commandHookLatencyMs > 0) {
      vertx.setTimer(commandHookLatencyMs, t -> answerCommandHook(ctx));
    } else {
      answerCommandHook(ctx);
    }
  }

  private void answerCommandHook(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (System.currentTimeMillis() < commandHooksLimitedUntil) {
      ctx.response().putHeader("Retry-After", "1");
      ctx.response().setStatusCode(429).putHeader("Content-Type", "text/plain; charset=utf-8").end("limit exceeded\n");
      return;
    }
    JsonObject body;
    try {
      body = parse(ctx);
    } catch (RuntimeException e) {
      error(ctx, 400, "web.command_webhook.parse.app_error", "Unable to parse incoming data.");
      return;
    }
    ResponseUrl url = responseUrls.get(id);
    if (url == null || url.createdAt() < System.currentTimeMillis() - 30 * 60_000) {
      error(ctx, 404, "app.command_webhook.get.missing", "Unable to find the webhook.");
      return;
    }
    if (url.uses().incrementAndGet() > 5) {
      error(ctx, 400, "app.command_webhook.try_use.invalid", "Invalid webhook.");
      return;
    }
    accept(ctx, body);
  }

  private void incomingHook(RoutingContext ctx) {
    long now = System.currentTimeMillis();
    allRequestTimes.add(now);
    if (now < failUntil) {
      error(ctx, failStatus, "fake.unavailable", "fake outage");
      return;
    }
    if (headerLimiter != null && !takeWithHeaders(ctx, now)) {
      return;
    }
    if (ratePerSecond > 0) {
      synchronized (this) {
        if (now < nextAllowed) {
          long waitS = (long) Math.ceil((nextAllowed - now) / 1000.0);
          ctx.response().putHeader("Retry-After", String.valueOf(waitS));
          rateLimited.add(new long[] {now, waitS * 1000});
          error(ctx, 429, "fake.rate_limited", "limit exceeded");
          return;
        }
        nextAllowed = now + (long) (1000 / ratePerSecond);
      }
    }
    JsonObject body;
    try {
      body = parse(ctx);
    } catch (RuntimeException e) {
      error(ctx, 400, "web.incoming_webhook.parse.app_error", "Unable to parse incoming data.");
      return;
    }
    if (body.getString("text", "").isEmpty() && body.getValue("attachments") == null
        && !(blocksAreContent && body.getValue("blocks") != null)) {
      error(ctx, 400, "web.incoming_webhook.text.app_error", "No text specified.");
      return;
    }
    if (latencyMs > 0) {
      vertx.setTimer(latencyMs, t -> accept(ctx, body));
    } else {
      accept(ctx, body);
    }
  }

  /** Mattermost's limiter: false when it answered 429. */
  private synchronized boolean takeWithHeaders(RoutingContext ctx, long now) {
    double rate = headerLimiter[0];
    double burst = headerLimiter[1];
    double tokens = Math.min(burst, headerLimiter[2] + (now - headerLimiterLast) * rate / 1000);
    headerLimiterLast = now;
    boolean ok = tokens >= 1;
    if (ok) {
      tokens -= 1;
    }
    headerLimiter[2] = tokens;
    ctx.response().putHeader("X-RateLimit-Limit", String.valueOf((long) burst))
        .putHeader("X-RateLimit-Remaining", String.valueOf((long) Math.floor(tokens)))
        .putHeader("X-RateLimit-Reset", String.valueOf((long) Math.ceil((burst - tokens) / rate)));
    if (!ok) {
      long waitS = (long) Math.ceil((1 - tokens) / rate);
      ctx.response().putHeader("Retry-After", String.valueOf(waitS));
      rateLimited.add(new long[] {now, waitS * 1000});
      ctx.response().setStatusCode(429).putHeader("Content-Type", "text/plain; charset=utf-8").end("limit exceeded\n");
    }
    return ok;
  }

  private static JsonObject parse(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String raw = ctx.body().asString();
    if (type != null && type.startsWith("application/json")) {
      return new JsonObject(raw);
    }
    return new JsonObject().put("text", raw);
  }

  private void accept(RoutingContext ctx, JsonObject body) {
    posts.add(new Post(ctx.request().path(), body, System.currentTimeMillis()));
    ctx.response().putHeader("Content-Type", "text/plain").end("ok");
  }

  private static void error(RoutingContext ctx, int status, String id, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("id", id).put("message", message).put("detailed_error", "")
            .put("request_id", newId()).put("status_code", status).encode());
  }

  static String newId() {
    StringBuilder sb = new StringBuilder(26);
    for (int i = 0; i < 26; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
