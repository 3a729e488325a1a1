package dev.hookgate.delivery;

import dev.hookgate.Services;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.Lanes;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link Decision} on the deliveries of one post: the store (delivered, attempt, dead,
 * retarget, a response_url use given back), the lane (pause, requeue, forget), the metrics and one
 * log line. On the delivery verticle's event loop.
 */
final class Settler {
  private static final Logger LOG = LoggerFactory.getLogger(Settler.class);

  private final Services services;
  private final LaneScheduler scheduler;
  private final LaneOwnership ownership;
  private final Consumer<Delivery> admit;
  private final Runnable releaseUnowned;

  /**
   * @param admit takes a delivery moved to its fallback destination into that lane
   * @param releaseUnowned gives back what this node holds of lanes another node owns
   */
  Settler(Services services, LaneScheduler scheduler, LaneOwnership ownership, Consumer<Delivery> admit,
      Runnable releaseUnowned) {
    this.services = services;
    this.scheduler = scheduler;
    this.ownership = ownership;
    this.admit = admit;
    this.releaseUnowned = releaseUnowned;
  }

  /** Applies a decision on a post's deliveries: store, lane, metrics, log. */
  Future<Void> apply(Lane lane, Coalescer.Batch batch, Poster.Result result, long started) {
    long now = services.now();
    List<Delivery> ds = batch.deliveries();
    String what = ds.size() == 1 ? "delivery " + ds.get(0).id()
        : ds.size() + " deliveries " + ds.get(0).id() + ".." + ds.get(ds.size() - 1).id();
    String destination = Lanes.publicName(lane.name);
    lane.answered(result.outcome(), now);
    if (lane.pace != null) {
      services.metrics().destinationRate(destination, lane.pace.rate());
    }
    if (result.decision() instanceof Decision.Delivered) {
      // a line per post only when the operator asks for it (DEBUG): the job's own line says it ended
      // and how many posts it made; failures to deliver are logged as they happen
      LOG.debug("{} to {} delivered in {} ms", what, Lanes.logName(lane.name), now - started);
      services.metrics().delivery(destination, "delivered", ds.size());
      if (ds.size() > 1) {
        services.metrics().coalesced(destination, ds.size());
      }
      scheduler.forget(lane, ds);
      return services.deliveryQueue().markDelivered(batch.ids(), now);
    }
    if (result.decision() instanceof Decision.RetryAt r) {
      lane.pausedUntil = Math.max(lane.pausedUntil, r.at());
      lane.requeueFront(ds.stream().map(d -> d.withAttempt(r.reason())).toList());
      services.metrics().delivery(destination, "retried", ds.size());
      LOG.warn("{} to {}: {}; lane paused {} ms", what, Lanes.logName(lane.name), r.reason(), r.at() - now);
      return giveBackUse(services.deliveryQueue().recordAttempt(batch.ids(), r.reason(), true), r.giveBackUse(), ds);
    }
    if (result.decision() instanceof Decision.PauseLaneUntil p) {
      lane.pausedUntil = Math.max(lane.pausedUntil, p.at());
      lane.requeueFront(ds);
      ownership.paused(lane.name, p.at()); // for whoever owns the lane next
      services.metrics().delivery(destination, "rate_limited", ds.size());
      LOG.warn("{} to {}: {}; lane paused {} ms", what, Lanes.logName(lane.name), p.reason(), p.at() - now);
      return giveBackUse(services.deliveryQueue().recordAttempt(batch.ids(), p.reason(), false), p.giveBackUse(), ds);
    }
    if (result.decision() instanceof Decision.FallBack f) {
      scheduler.forget(lane, ds);
      services.metrics().delivery(destination, "fallback", ds.size());
      LOG.info("{} deliveries of lane {} move to destination {}: {}", ds.size(), Lanes.logName(lane.name),
          f.destination(), f.reason());
      return services.deliveryQueue().retarget(batch.ids(), f.destination()).onSuccess(v -> {
        ds.forEach(d -> admit.accept(d.retargeted(f.destination())));
        releaseUnowned.run();
      });
    }
    Decision.Dead dead = (Decision.Dead) result.decision();
    scheduler.forget(lane, ds);
    LOG.warn("{} deliveries of lane {} are dead: {}", ds.size(), Lanes.logName(lane.name), dead.reason());
    services.metrics().delivery(destination, "dead", ds.size());
    Future<Void> attempt = result.outcome() == null ? Future.succeededFuture()
        : services.deliveryQueue().recordAttempt(batch.ids(), result.outcome().reason(), true);
    return attempt.compose(v -> services.deliveryQueue().markDead(batch.ids(), dead.reason(), now));
  }

  private Future<Void> giveBackUse(Future<Void> recorded, boolean giveBack, List<Delivery> ds) {
    return giveBack ? recorded.compose(v -> services.responseUrls().returnResponseUrlUse(ds.get(0).jobId())) : recorded;
  }

}
