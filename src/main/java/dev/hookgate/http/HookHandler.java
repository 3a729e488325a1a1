package dev.hookgate.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.config.DestinationConfig;
import dev.hookgate.config.HookConfig;
import dev.hookgate.protocol.ChatJson;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.protocol.IncomingHookRequest;
import dev.hookgate.protocol.MalformedRequestException;
import dev.hookgate.protocol.PostSplitter;
import dev.hookgate.protocol.TokenCheck;
import dev.hookgate.store.NewDelivery;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /hooks/{key}}: Mattermost's incoming-hook contract. The message is stored before
 * the producer hears {@code 200 ok}; the delivery verticle forwards it at the destination's pace.
 */
final class HookHandler {
  /** The routing-context key of the hook a request's key matched (an {@code Optional<HookConfig>}). */
  static final String MATCHED_HOOK = "hookgate.hook";
  static final long IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000L;
  private static final int MAX_IDEMPOTENCY_KEY = 255;

  private final Services services;

  HookHandler(Services services) {
    this.services = services;
  }

  void handle(RoutingContext ctx) {
    ChatMessage message;
    try {
      byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      message = IncomingHookRequest.parse(ctx.request().getHeader("Content-Type"), body,
          services.config().http().maxFormFields());
    } catch (MalformedRequestException e) {
      String id = e.getMessage().equals(IncomingHookRequest.NO_TEXT) ? "web.incoming_webhook.text.app_error"
          : "web.incoming_webhook.parse.app_error";
      services.metrics().hook("unknown", "invalid");
      mattermostError(ctx, 400, id, e.getMessage());
      return;
    }
    Optional<HookConfig> hook = ctx.get(MATCHED_HOOK); // looked up once, by HttpVerticle's guard
    if (hook.isEmpty()) {
      services.metrics().hook("unknown", "invalid_key");
      mattermostError(ctx, 400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.");
      return;
    }
    String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
      ErrorReplies.send(ctx, 400, "bad_request", "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
      return;
    }
    HookConfig h = hook.get();
    DestinationConfig dest = services.config().destinations().get(h.destination());
    long now = services.now();
    List<NewDelivery> deliveries = new ArrayList<>();
    for (ChatMessage part : split(message, dest.maxPostChars())) {
      deliveries.add(NewDelivery.toDestination(h.destination(), h.name(), part, now, now + h.coalesce().toMillis()));
    }
    services.store().enqueueDeliveries(deliveries, "hook:" + h.name(), idempotencyKey, IDEMPOTENCY_WINDOW_MS)
        .onSuccess(fresh -> {
          services.metrics().hook(h.name(), fresh ? "accepted" : "duplicate");
          if (fresh) {
            ctx.vertx().eventBus().publish(Addresses.DELIVERIES_READY, null);
          } else {
            HttpVerticle.LOG.info("hook {}: repeated Idempotency-Key, message dropped", h.name());
          }
          ctx.response().putHeader("content-type", "text/plain").end("ok");
        })
        .onFailure(e -> {
          // the store logs its refusals itself, rate-limited: a line per request would flood a full disk
          HttpVerticle.LOG.debug("hook {}: the store refused the message: {}", h.name(), e.getMessage());
          ErrorReplies.send(ctx, 503, "unavailable", "the gateway cannot store the message right now; try again");
        });
  }

  /** Looks a key up comparing every configured key in constant time. */
  static Optional<HookConfig> find(java.util.Collection<HookConfig> hooks, String key) {
    HookConfig found = null;
    for (HookConfig h : hooks) {
      if (TokenCheck.matches(h.key(), key)) {
        found = h;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Long text becomes consecutive posts; attachments ride on the last one, as Mattermost does. */
  static List<ChatMessage> split(ChatMessage message, int maxChars) {
    List<String> parts = PostSplitter.split(message.text(), maxChars);
    if (parts.size() == 1) {
      return List.of(message);
    }
    ArrayNode attachments = message.attachments();
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      ChatMessage part = message.withText(parts.get(i));
      out.add(i == parts.size() - 1 ? part.withAttachments(attachments)
          : part.withAttachments(ChatJson.MAPPER.createArrayNode()));
    }
    return out;
  }

  /** Mattermost's AppError body, with hookgate's {@code error} / {@code message} pair. */
  private static void mattermostError(RoutingContext ctx, int status, String id, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", id).put("id", id).put("message", message).put("detailed_error", "")
            .put("status_code", status).encode());
  }
}
