package dev.hookgate.delivery;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.config.DestinationConfig;
import dev.hookgate.outbound.OutboundClient;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.Lanes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the store holds to the chat server, lane by lane (a destination, or one command's
 * response_url). Wiring only: the {@link Claimer} leases pending deliveries, the
 * {@link LaneScheduler} says which lane posts what and when (order, rate, pauses, coalescing), the
 * {@link Poster} makes each post and the {@link DeliveryDecider} decides what becomes of its
 * deliveries, which the {@link Settler} applies to the store, the lanes, the metrics and the log.
 * One instance, on an event loop.
 *
 * <p>On a store that several nodes share, each destination's lane has one owner at a time (a lane
 * lease, see {@link LaneOwnership}): only the owner claims and sends its deliveries, so its token
 * bucket, coalescing and order hold for the whole cluster. A Retry-After is also written to the
 * lane's lease, for the node that owns it next.
 */
public final class DeliveryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);
  private static final long SWEEP_MS = 1000;
  private static final long BACKLOG_REFRESH_MS = 5000;
  /** A post still in flight this long after its deadline makes its lane stuck (for /health). */
  static final long STUCK_GRACE_MS = 5000;

  private final Services services;
  private final DeliveryHandoff handoff;
  private final LaneScheduler scheduler;
  private final Set<Future<Void>> posting = new LinkedHashSet<>();
  private OutboundClient client;
  private Poster poster;
  private Claimer claimer;
  private Settler settler;
  private LaneOwnership ownership;
  private LaneScheduler.Access access;
  private boolean runScheduled;
  private boolean stopping;
  private long wakeTimer = -1;
  private long wakeAt = Long.MAX_VALUE;

  public DeliveryVerticle(Services services) {
    this.services = services;
    this.handoff = services.handoff();
    this.scheduler = new LaneScheduler(handoff::left);
  }

  @Override
  public Future<?> start() {
    client = new OutboundClient(vertx, services.config().delivery().connectTimeout(), Poster.MAX_RESPONSE_BYTES,
        services.config().delivery().maxConnectionsPerHost());
    poster = new Poster(services, client, new DeliveryDecider(services.clock(), RandomGenerator.getDefault()));
    ownership = new LaneOwnership(services.laneLeases().shared(), services.laneLeases(), services.nodeId());
    access = new LaneScheduler.Access() {
      @Override
      public DestinationConfig destination(String lane) {
        return Lanes.isDestination(lane)
            ? services.config().destinations().get(lane.substring(Lanes.DESTINATION_PREFIX.length())) : null;
      }

      @Override
      public int responseUrlMaxPostChars() {
        return services.config().responseUrl().maxPostChars();
      }

      @Override
      public boolean owns(String lane, long now) {
        return ownership.owns(lane, now);
      }

      @Override
      public boolean hasLease(String lane) {
        return ownership.hasLease(lane);
      }
    };
    settler = new Settler(services, scheduler, ownership, this::admit, this::releaseUnowned);
    claimer = new Claimer(vertx, services, ownership.shared(), scheduler::claimed,
        () -> Claimer.fullDestinationLanes(scheduler), ds -> ds.forEach(this::admit), handoff);
    if (ownership.shared()) {
      handoff.owned(List.of()); // until the first lane leases are taken: every destination lane by claim
    }
    handoff.attach(context, this::handedOver);
    if (ownership.shared()) {
      renewLaneLeases();
    }
    vertx.setPeriodic(SWEEP_MS, id -> claimer.sweep());
    vertx.setPeriodic(Math.max(1000, services.config().store().lease().toMillis() / 3), id -> heartbeat());
    vertx.setTimer(1, id -> claimer.claim());
    vertx.setPeriodic(BACKLOG_REFRESH_MS, id -> refreshBacklog());
    vertx.eventBus().consumer(DeliveryHealth.ADDRESS, m -> m.reply(health(services.now()).toJson()));
    return vertx.eventBus().consumer(Addresses.DELIVERIES_READY, m -> {
      if (m.body() instanceof Long firstId) { // ids are not in commit order across writers: look from there
        claimer.notified(firstId);
      }
      claimer.claim();
    }).completion();
  }

  /**
   * A graceful stop sends nothing new, waits for the posts in flight (each ends by its request
   * deadline) and records their outcomes, so that a restart does not send them again; then, on a
   * shared store, gives up this node's lanes at once (the next owner waits a second).
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    Promise<Void> drained = Promise.promise();
    long bound = services.config().delivery().requestTimeout().toMillis() + 2000;
    long timer = vertx.setTimer(bound, id -> {
      if (drained.tryComplete()) {
        LOG.warn("{} post(s) still in flight at stop: their leases bring them back at the next start", posting.size());
      }
    });
    if (!posting.isEmpty()) {
      LOG.info("waiting for {} post(s) in flight", posting.size());
    }
    Future.join(List.copyOf(posting)).onComplete(r -> {
      vertx.cancelTimer(timer);
      drained.tryComplete();
    });
    return drained.future()
        .compose(v -> ownership.shared() ? releaseLanes() : Future.succeededFuture())
        .eventually(() -> client.close());
  }

  private Future<Void> releaseLanes() {
    List<Long> queued = new ArrayList<>();
    scheduler.lanes().forEach(l -> l.queue.forEach(d -> queued.add(d.id())));
    return ownership.release(services.now())
        .compose(v -> services.deliveryQueue().renewDeliveryLeases(services.nodeId(), queued, 0))
        .otherwise(e -> {
          LOG.warn("releasing lanes at stop failed: {}", e.getMessage());
          return null;
        });
  }

  /** The lanes' health for /health (see {@link DeliveryHealth#query}). */
  DeliveryHealth health(long now) {
    long stuckAfter = services.config().delivery().requestTimeout().toMillis() + STUCK_GRACE_MS;
    List<DeliveryHealth.StuckLane> stuck = new ArrayList<>();
    List<DeliveryHealth.UnconfiguredLane> unconfigured = new ArrayList<>();
    for (Lane lane : scheduler.lanes()) {
      long oldest = lane.oldestInFlight();
      if (oldest != Long.MAX_VALUE && now - oldest > stuckAfter) {
        stuck.add(new DeliveryHealth.StuckLane(Lanes.logName(lane.name), now - oldest, lane.queue.size()));
      }
      if (lane.unconfiguredSince > 0) {
        unconfigured.add(new DeliveryHealth.UnconfiguredLane(Lanes.publicName(lane.name),
            now - lane.unconfiguredSince, lane.queue.size()));
      }
    }
    return new DeliveryHealth(stuck, unconfigured);
  }

  // ------------------------------------------------------------------ lane leases (several nodes)

  /** Takes the destination lanes nobody holds and renews this node's; lets go of what it lost. */
  private void renewLaneLeases() {
    long now = services.now();
    List<String> wanted = new ArrayList<>();
    services.config().destinations().keySet().forEach(dest -> wanted.add(Lanes.DESTINATION_PREFIX + dest));
    scheduler.destinationLanes().forEach(l -> wanted.add(l.name));
    ownership.renew(wanted, now, services.config().store().lease().toMillis(), renewal -> {
      handoff.owned(wanted.stream().filter(ownership::hasLease).toList());
      for (Map.Entry<String, Long> e : renewal.pausedUntil().entrySet()) {
        if (e.getValue() > now) {
          Lane lane = scheduler.lane(e.getKey(), access.destination(e.getKey()), now);
          lane.pausedUntil = Math.max(lane.pausedUntil, e.getValue());
        }
      }
      releaseUnowned();
      if (renewal.gained()) {
        claimer.sweep();
      }
    });
  }

  /** Gives back the queued deliveries of destination lanes that another node owns (moved here by a fallback). */
  private void releaseUnowned() {
    if (!ownership.shared()) {
      return;
    }
    List<Long> release = new ArrayList<>();
    for (Lane lane : scheduler.destinationLanes()) {
      if (!ownership.hasLease(lane.name) && !lane.queue.isEmpty()) {
        List<Delivery> ds = lane.removeAll();
        scheduler.forget(lane, ds);
        ds.forEach(d -> release.add(d.id()));
      }
    }
    if (!release.isEmpty()) {
      LOG.info("{} deliveries left to the nodes that own their lanes", release.size());
      services.deliveryQueue().renewDeliveryLeases(services.nodeId(), release, 0)
          .onFailure(e -> LOG.error("releasing deliveries failed: {}", e.getMessage()));
    }
  }

  private void heartbeat() {
    if (ownership.shared()) {
      renewLaneLeases();
    }
    List<Long> ids = scheduler.lanes().stream().flatMap(l -> l.claimedIds().stream()).toList();
    if (!ids.isEmpty()) {
      long until = services.now() + services.config().store().lease().toMillis();
      services.deliveryQueue().renewDeliveryLeases(services.nodeId(), ids, until)
          .onFailure(e -> LOG.error("renewing delivery leases failed: {}", e.getMessage()));
    }
  }

  private void refreshBacklog() {
    services.admin().backlog().onSuccess(b -> {
      ownership.backlog(b.keySet());
      Map<String, long[]> byDestination = new HashMap<>();
      b.forEach((lane, v) -> byDestination.merge(Lanes.publicName(lane), v.clone(),
          (x, y) -> new long[] {x[0] + y[0], Math.min(x[1], y[1])}));
      services.metrics().backlog(byDestination, services.now());
    });
  }

  // ------------------------------------------------------------------ sending

  /** A delivery claimed from the store, or moved to its fallback's lane, joins its lane. */
  private void admit(Delivery d) {
    if (scheduler.admit(d, access.destination(d.lane()), services.now())) {
      handoff.entered(d.lane(), 1);
      scheduleRun();
    }
  }

  /** Deliveries stored leased to this node join their lanes from memory (their room already counted). */
  private void handedOver(DeliveryHandoff.Arrival arrival) {
    List<Delivery> ds = arrival.deliveries();
    if (arrival.firstUseTaken()) {
      poster.useTaken(ds.get(0).id());
    }
    long now = services.now();
    for (Delivery d : ds) {
      claimer.handedOver(d.id());
      if (stopping || !scheduler.admit(d, access.destination(d.lane()), now)) {
        handoff.left(d.lane(), 1); // stopping: its lease brings it back at the next start
      }
    }
    scheduleRun();
  }

  private void wake(Lane lane) {
    scheduler.wake(lane);
    scheduleRun();
  }

  private void scheduleRun() {
    if (!runScheduled) {
      runScheduled = true;
      vertx.runOnContext(v -> {
        runScheduled = false;
        run();
      });
    }
  }

  private void run() {
    if (stopping) {
      return;
    }
    long now = services.now();
    LaneScheduler.Round round = scheduler.run(now, access);
    round.unconfigured().forEach(lane -> {
      LOG.warn("{} deliveries of lane {} wait: destination {} is not in the config; they leave once it is back",
          lane.queue.size(), lane.name, Lanes.publicName(lane.name));
      services.metrics().delivery(Lanes.publicName(lane.name), "waiting_for_config", lane.queue.size());
    });
    round.reconfigured().forEach(lane -> LOG.info("destination {} is in the config again: its {} waiting deliveries go",
        Lanes.publicName(lane.name), lane.queue.size()));
    round.posts().forEach(this::start);
    scheduleWake(round.nextWake(), now);
  }

  private void start(LaneScheduler.Post post) {
    Lane lane = post.lane();
    Coalescer.Batch batch = post.batch();
    long started = services.now();
    Future<Void> done = poster.post(post)
        .compose(result -> settler.apply(lane, batch, result, started)
            // the outcome is applied in memory already: a failed store write is left to the lease
            // and the next sweep, never answered by sending again
            .recover(e -> {
              LOG.error("recording a delivery outcome failed: {}", e.getMessage());
              return Future.succeededFuture();
            }), e -> { // the store failed before the post (the response_url budget): try again in a second
          LOG.error("delivery to lane {} failed internally: {}", Lanes.logName(lane.name), e.toString());
          lane.requeueFront(batch.deliveries());
          lane.pausedUntil = services.now() + 1000;
          return Future.succeededFuture();
        });
    posting.add(done);
    done.onComplete(r -> {
      posting.remove(done);
      lane.inFlight.remove(batch);
      wake(lane);
    });
  }

  private void scheduleWake(long at, long now) {
    if (at == Long.MAX_VALUE || (wakeTimer >= 0 && wakeAt <= at)) {
      return;
    }
    if (wakeTimer >= 0) {
      vertx.cancelTimer(wakeTimer);
    }
    wakeAt = at;
    wakeTimer = vertx.setTimer(Math.max(1, at - now), id -> {
      wakeTimer = -1;
      wakeAt = Long.MAX_VALUE;
      run();
    });
  }
}
