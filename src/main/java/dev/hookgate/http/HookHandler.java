package dev.hookgate.http;

import dev.hookgate.delivery.DeliveryHandoff;
import dev.hookgate.store.Lease;
import dev.hookgate.Services;
import dev.hookgate.config.DestinationConfig;
import dev.hookgate.config.HookConfig;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.protocol.IncomingHookRequest;
import dev.hookgate.protocol.MalformedRequestException;
import dev.hookgate.protocol.PostSplitter;
import dev.hookgate.protocol.TokenCheck;
import dev.hookgate.store.NewDelivery;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.hookgate.config.GatewayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/{key}}: Mattermost's incoming-hook contract. The message is stored before
 * the producer hears {@code 200 ok}; the delivery verticle forwards it at the destination's pace.
 */
final class HookHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HookHandler.class);
  static final long IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000L;
  private static final int MAX_IDEMPOTENCY_KEY = 255;

  private final Services services;
  private final AuthThrottleGuard throttle;
  private final RefusalLog refusals;

  HookHandler(Services services, AuthThrottleGuard throttle) {
    this.services = services;
    this.throttle = throttle;
    this.refusals = new RefusalLog(services.clock()::millis);
  }

  void handle(RoutingContext ctx) {
    GatewayConfig config = Exchange.of(ctx).config();
    // looked up once, constant time against every hook; an unknown key is an authentication failure
    Optional<HookConfig> hook = find(config.hooks().values(), keyOf(ctx));
    if (!throttle.admit(ctx, hook.isPresent())) {
      services.metrics().hook("unknown", "throttled");
      return;
    }
    ChatMessage message;
    try {
      byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      message = IncomingHookRequest.parse(ctx.request().getHeader("Content-Type"), body,
          config.http().maxFormFields());
    } catch (MalformedRequestException e) {
      // Mattermost's order: a payload it cannot post is answered so before an unknown key is
      String id = e.kind() == MalformedRequestException.Kind.NO_TEXT ? "web.incoming_webhook.text.app_error"
          : "web.incoming_webhook.parse.app_error";
      refuse(ctx, hook, "invalid", 400, id, e.getMessage());
      return;
    }
    if (hook.isEmpty()) {
      refuse(ctx, hook, "invalid_key", 400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.");
      return;
    }
    String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
      refuse(ctx, hook, "invalid", 400, "web.incoming_webhook.parse.app_error",
          "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
      return;
    }
    HookConfig h = hook.get();
    HookPolicy.Verdict verdict = HookPolicy.apply(h, message);
    if (!(verdict instanceof HookPolicy.Verdict.Post accepted)) {
      refuse(ctx, hook, "channel_locked", 403, "web.incoming_webhook.channel_locked.app_error",
          HookPolicy.CHANNEL_LOCKED);
      return;
    }
    ChatMessage post = accepted.message();
    // the same snapshot as the hook: a validated config always holds the hook's destination
    DestinationConfig dest = config.destinations().get(h.destination());
    long now = services.now();
    List<NewDelivery> deliveries = new ArrayList<>();
    for (ChatMessage part : split(post, dest.maxPostChars())) {
      deliveries.add(NewDelivery.toDestination(h.destination(), h.name(), part, now, now + h.coalesce().toMillis()));
    }
    // stored leased to this node and handed to the lane from memory where it can take them; else for a claim
    DeliveryHandoff.Ticket ticket = services.handoff().reserve(deliveries.get(0).lane(), deliveries.size());
    Lease lease = ticket.leased() ? new Lease(services.nodeId(), now + config.store().lease().toMillis()) : null;
    services.deliveryQueue().enqueueDeliveries(deliveries, "hook:" + h.name(), idempotencyKey, IDEMPOTENCY_WINDOW_MS,
            lease)
        .onSuccess(queued -> {
          ticket.stored(queued.leased());
          services.metrics().hook(h.name(), queued.fresh() ? "accepted" : "duplicate");
          if (!queued.fresh()) {
            LOG.info("hook {}: repeated Idempotency-Key, message dropped", h.name());
          }
          ctx.response().putHeader("content-type", "text/plain").end("ok");
        })
        .onFailure(e -> {
          ticket.notStored();
          // the store logs its refusals itself, rate-limited: a line per request would flood a full disk
          LOG.debug("hook {}: the store refused the message: {}", h.name(), e.getMessage());
          ErrorReplies.send(ctx, 503, "unavailable", "the gateway cannot store the message right now; try again");
        });
  }

  /**
   * The relay route's failure handler: a body over http.max-body-bytes (413) is counted under its
   * hook and logged like any refusal; the router's failure handler then answers.
   */
  void failed(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      Optional<HookConfig> hook = find(Exchange.of(ctx).config().hooks().values(), keyOf(ctx));
      services.metrics().hook(hook.map(HookConfig::name).orElse("unknown"), "too_large");
      log(ctx, hook, 413, "body larger than http.max-body-bytes");
    }
    ctx.next();
  }

  /** Answers a refusal in Mattermost's shape, counts it under its hook ("unknown" for an unknown key), logs it. */
  private void refuse(RoutingContext ctx, Optional<HookConfig> hook, String outcome, int status, String id,
      String message) {
    services.metrics().hook(hook.map(HookConfig::name).orElse("unknown"), outcome);
    log(ctx, hook, status, message);
    ErrorReplies.mattermost(ctx, status, id, message);
  }

  private void log(RoutingContext ctx, Optional<HookConfig> hook, int status, String message) {
    String producer = hook.map(h -> "hook " + h.name()).orElseGet(() -> "key " + LogText.maskedKey(keyOf(ctx)));
    refusals.line(producer, status, message)
        .ifPresent(line -> LOG.warn("{} (from {})", line, ctx.request().remoteAddress()));
  }

  private static String keyOf(RoutingContext ctx) {
    String key = ctx.pathParam("key");
    return key == null ? "" : key;
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

  /** Long text becomes consecutive posts; attachments and blocks ride on the last one, as Mattermost does. */
  static List<ChatMessage> split(ChatMessage message, int maxChars) {
    List<String> parts = PostSplitter.split(message.text(), maxChars);
    if (parts.size() == 1) {
      return List.of(message);
    }
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      ChatMessage part = message.withText(parts.get(i));
      out.add(i == parts.size() - 1 ? part : part.withField("attachments", null).withField("blocks", null));
    }
    return out;
  }
}
