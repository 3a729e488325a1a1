package dev.hookgate.delivery;

import dev.hookgate.Services;
import dev.hookgate.outbound.OutboundClient;
import dev.hookgate.outbound.Reply;
import dev.hookgate.protocol.CommandReply;
import dev.hookgate.protocol.SafeText;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.ResponseUrlBudget;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * Makes one post: to a destination's URL, or to a response_url once its host is allowed and its
 * budget (5 uses in 30 minutes, counted in the store) has a use left. The future holds the outcome
 * (null when nothing was posted) and the {@link Decision} on it; it never fails but for the store.
 */
final class Poster {
  /** The chat server's answer is only classified: a few KiB of its body are enough. */
  static final int MAX_RESPONSE_BYTES = 8 * 1024;

  /** A post's outcome ({@code null}: not posted) and what to do with its deliveries. */
  record Result(SendOutcome outcome, Decision decision) {}

  private final Services services;
  private final OutboundClient client;
  private final DeliveryDecider decider;
  /** Deliveries whose response_url use the store already took with the job's result: posted without another. */
  private final java.util.Set<Long> usesTaken = new java.util.HashSet<>();

  Poster(Services services, OutboundClient client, DeliveryDecider decider) {
    this.services = services;
    this.client = client;
    this.decider = decider;
  }

  /** The store took a response_url use for this delivery when it stored it (see {@code JobQueue#finishJob}). */
  void useTaken(long deliveryId) {
    usesTaken.add(deliveryId);
  }

  Future<Result> post(LaneScheduler.Post post) {
    List<Delivery> ds = post.batch().deliveries();
    boolean useTaken = false;
    for (Delivery d : ds) {
      useTaken |= usesTaken.remove(d.id());
    }
    if (!ChatKinds.postable(post.batch().message(), post.destination())) { // refused by the chat server: not sent
      return Future.succeededFuture(new Result(null, new Decision.Dead(ChatKinds.NOTHING_TO_SHOW)));
    }
    if (post.destination() != null) {
      return send(post.destination().url(), post, false);
    }
    Delivery head = ds.get(0);
    String url = head.responseUrl();
    if (!services.config().responseUrl().allows(url)) {
      return Future.succeededFuture(new Result(null,
          new Decision.Dead("response_url host is not in response-url.allowed-hosts")));
    }
    if (useTaken) { // the reply of a job, its use taken with the result: posted at once
      return send(url, post, true);
    }
    return services.responseUrls().tryUseResponseUrl(head.jobId(), services.now(), ResponseUrlBudget.LIFETIME_MS,
            ResponseUrlBudget.MAX_USES)
        .compose(ok -> {
          if (ok) {
            return send(url, post, true);
          }
          services.metrics().responseUrlExhausted();
          return Future.succeededFuture(new Result(null,
              decider.budgetSpent(attempt(post), services.config().destinations().keySet())));
        });
  }

  private Future<Result> send(String url, LaneScheduler.Post post, boolean responseUrl) {
    Buffer body = Buffer.buffer(ChatKinds.forDestination(post.batch().message(), post.destination()).encode());
    return client.send(HttpMethod.POST, url, Map.of("content-type", "application/json"), body,
            services.config().delivery().requestTimeout())
        .map(reply -> {
          SendOutcome outcome = switchOn(reply, url, responseUrl);
          return new Result(outcome, decider.decide(outcome, attempt(post), services.config().delivery(),
              services.config().destinations().keySet()));
        });
  }

  private SendOutcome switchOn(Reply reply, String url, boolean responseUrl) {
    if (reply instanceof Reply.Answered a) {
      return SendOutcome.classify(a.status(), a.retryAfter(), SafeText.scrub(a.body(), url), responseUrl,
          services.now(), a.limits());
    }
    return new SendOutcome.Unanswered(((Reply.Unanswered) reply).kind());
  }

  /** The deliveries of a post as the decision needs them. */
  private static DeliveryDecider.Attempt attempt(LaneScheduler.Post post) {
    List<Delivery> ds = post.batch().deliveries();
    int attempts = ds.stream().mapToInt(Delivery::attempts).max().orElse(0);
    long oldest = ds.stream().mapToLong(Delivery::createdAt).min().orElse(0);
    if (post.destination() != null) {
      return DeliveryDecider.Attempt.toDestination(attempts, oldest);
    }
    Delivery head = ds.get(0); // a batch shares its envelope (so its response_type) and its job
    return DeliveryDecider.Attempt.toResponseUrl(CommandReply.EPHEMERAL.equals(head.message().responseType()),
        head.fallback(), attempts, oldest);
  }
}
