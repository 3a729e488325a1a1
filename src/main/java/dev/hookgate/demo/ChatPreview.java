package dev.hookgate.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code make demo}'s stand-in for the chat server, on 127.0.0.1 only: plays Mattermost's receiving
 * side (a response_url {@code POST /hooks/commands/<id>}: 5 uses in 30 minutes; an incoming hook
 * {@code POST /hooks/<channel>}), prints every post as it arrives and shows them at {@code /}, a page
 * that polls {@code /posts?after=N}. The hooks named in {@code limited} accept one post a second and
 * answer 429 with {@code Retry-After} beyond, as a Mattermost with rate limiting does. Demo only: the
 * gateway never starts it.
 */
public final class ChatPreview {
  /** The demo's channel that accepts one post a second. */
  public static final Set<String> DEMO_LIMITED = Set.of("floods");
  static final int MAX_POSTS = 500;
  static final long RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
  static final int RESPONSE_URL_USES = 5;

  private final Set<String> limited;
  private final List<JsonObject> posts = new ArrayList<>();
  private final Map<String, long[]> responseUrls = new ConcurrentHashMap<>(); // id -> {first use, uses}
  private final Map<String, Long> nextAllowed = new ConcurrentHashMap<>();
  private long seq;

  ChatPreview(Set<String> limited) {
    this.limited = limited;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv().getOrDefault("HOOKGATE_DEMO_CHAT_PORT", "8065"));
    Vertx vertx = Vertx.vertx();
    new ChatPreview(DEMO_LIMITED).listen(vertx, port).onSuccess(server -> System.out.println(
            "[chat] preview of the chat server on http://127.0.0.1:" + server.actualPort() + "/"))
        .onFailure(e -> {
          System.err.println("[chat] cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
          vertx.close();
          System.exit(1);
        });
  }

  Future<HttpServer> listen(Vertx vertx, int port) {
    Router router = Router.router(vertx);
    router.post("/hooks/commands/:id").handler(BodyHandler.create(false).setBodyLimit(1_000_000))
        .handler(this::commandHook);
    router.post("/hooks/:id").handler(BodyHandler.create(false).setBodyLimit(1_000_000)).handler(this::incomingHook);
    router.get("/posts").handler(this::list);
    router.get("/*").handler(StaticHandler.create("demo").setCachingEnabled(false));
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }

  /** A response_url: 404 once 30 minutes old, 400 "Invalid webhook." at the 6th use. */
  private void commandHook(RoutingContext ctx) {
    long now = System.currentTimeMillis();
    JsonObject body = parse(ctx);
    if (body == null) {
      error(ctx, 400, "web.command_webhook.parse.app_error", "Unable to parse incoming data.");
      return;
    }
    long[] use = responseUrls.computeIfAbsent(ctx.pathParam("id"), id -> new long[] {now, 0});
    synchronized (use) {
      if (now - use[0] > RESPONSE_URL_LIFETIME_MS) {
        error(ctx, 404, "app.command_webhook.get.missing", "Unable to find the webhook.");
        return;
      }
      if (++use[1] > RESPONSE_URL_USES) {
        error(ctx, 400, "app.command_webhook.try_use.invalid", "Invalid webhook.");
        return;
      }
    }
    boolean ephemeral = "ephemeral".equals(body.getString("response_type"));
    accept(ctx, "town-square", body, ephemeral ? "only you see this" : "response_url");
  }

  /** An incoming hook whose id names its channel; a payload's {@code channel} moves the post. */
  private void incomingHook(RoutingContext ctx) {
    String hook = ctx.pathParam("id");
    if (limited.contains(hook) && !admit(hook)) {
      ctx.response().setStatusCode(429).putHeader("Retry-After", "1")
          .putHeader("Content-Type", "text/plain; charset=utf-8").end("limit exceeded\n");
      return;
    }
    JsonObject body = parse(ctx);
    if (body == null) {
      error(ctx, 400, "web.incoming_webhook.parse.app_error", "Unable to parse incoming data.");
      return;
    }
    if (body.getString("text", "").isEmpty() && body.getValue("attachments") == null) {
      error(ctx, 400, "web.incoming_webhook.text.app_error", "No text specified.");
      return;
    }
    String channel = body.getString("channel", hook).replaceFirst("^#", "");
    accept(ctx, channel, body, "incoming hook");
  }

  private synchronized boolean admit(String hook) {
    long now = System.currentTimeMillis();
    if (now < nextAllowed.getOrDefault(hook, 0L)) {
      return false;
    }
    nextAllowed.put(hook, now + 1000);
    return true;
  }

  private void accept(RoutingContext ctx, String channel, JsonObject body, String via) {
    String user = body.getString("username", via.equals("incoming hook") ? "webhook" : "command");
    String text = body.getString("text", "");
    JsonArray attachments = body.getJsonArray("attachments", new JsonArray());
    for (int i = 0; i < attachments.size(); i++) {
      if (attachments.getValue(i) instanceof JsonObject a) {
        text += (text.isEmpty() ? "" : "\n") + "> " + a.getString("title", "") + " " + a.getString("text",
            a.getString("fallback", ""));
      }
    }
    JsonObject post;
    synchronized (this) {
      post = new JsonObject().put("seq", ++seq).put("at", System.currentTimeMillis()).put("channel", channel)
          .put("username", user).put("via", via).put("text", text);
      posts.add(post);
      if (posts.size() > MAX_POSTS) {
        posts.remove(0);
      }
    }
    System.out.println("[chat] #" + channel + "  " + user + ": " + text.replace("\n", "\n[chat]     "));
    ctx.response().putHeader("Content-Type", "text/plain").end("ok");
  }

  /** The posts after {@code after} (a sequence number), for the page. */
  private void list(RoutingContext ctx) {
    long after;
    try {
      after = Long.parseLong(ctx.queryParams().get("after") == null ? "0" : ctx.queryParams().get("after"));
    } catch (NumberFormatException e) {
      error(ctx, 400, "bad_request", "after must be a number");
      return;
    }
    JsonArray out = new JsonArray();
    synchronized (this) {
      posts.stream().filter(p -> p.getLong("seq") > after).forEach(out::add);
    }
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(out.encode());
  }

  /** Mattermost's body: JSON, or a {@code payload=} form; null when it cannot be read. */
  private static JsonObject parse(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String raw = ctx.body().asString();
    try {
      if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
        String payload = java.net.URLDecoder.decode(
            raw.startsWith("payload=") ? raw.substring(8) : raw, java.nio.charset.StandardCharsets.UTF_8);
        return new JsonObject(payload);
      }
      return raw == null || raw.isBlank() ? null : new JsonObject(raw);
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      return null;
    }
  }

  private static void error(RoutingContext ctx, int status, String id, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("id", id).put("message", message).put("detailed_error", "")
            .put("status_code", status).encode());
  }
}
