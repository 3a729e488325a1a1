package dev.hookgate.delivery;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.config.DeliveryConfig;
import dev.hookgate.config.DestinationConfig;
import dev.hookgate.protocol.CommandReply;
import dev.hookgate.protocol.SafeText;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.Lanes;
import dev.hookgate.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the store holds to the chat server, lane by lane (a destination, or one command's
 * response_url): in order, at the destination's rate, pausing the lane for Retry-After on 429,
 * backing off on 5xx and network errors, coalescing a backlog into few posts, counting each
 * response_url's 5 uses in 30 minutes and falling back to the command's destination when it is
 * spent. One instance, on an event loop; every state change is written to the store.
 *
 * <p>On a store that several nodes share, each destination's lane has one owner at a time (a lane
 * lease in the store, taken and renewed every third of {@code store.lease}): only the owner claims
 * and sends its deliveries, so its token bucket, coalescing and order hold for the whole cluster.
 * A Retry-After is also written to the lane's lease, for the node that owns it next. A
 * response_url's lane stays with the node that queued it (see {@link Store#claimOwnedDeliveries}).
 */
public final class DeliveryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);
  /** Mattermost and Slack: a response_url takes 5 posts within 30 minutes. */
  public static final int RESPONSE_URL_USES = 5;
  public static final long RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
  private static final int PER_LANE = 1000;
  private static final int MAX_HELD = 20_000;
  private static final int CLAIM_BATCH = 5000;
  private static final long POLL_MS = 1000;
  private static final long MIN_CLAIM_INTERVAL_MS = 10;
  private static final long BACKLOG_REFRESH_MS = 5000;

  private final Services services;
  private final Map<String, Lane> lanes = new HashMap<>();
  private WebClient client;
  private RetryPolicy retry;
  private List<java.time.Duration> retryBackoff;
  private int held;
  private boolean claiming;
  private boolean claimAgain;
  private long lastClaim;
  /** The largest delivery id claimed so far; -1 until the first full sweep. */
  private long cursor = -1;
  private boolean sweepWanted;
  private boolean claimTimerSet;
  private final Set<Lane> runnable = new LinkedHashSet<>();
  private final PriorityQueue<Wake> wakeups = new PriorityQueue<>(Comparator.comparingLong(Wake::at));
  private boolean pumpScheduled;
  private boolean stopping;
  private long wakeTimer = -1;
  private long wakeAt = Long.MAX_VALUE;
  /** The destination lanes this node may send to (lane leases, when several nodes share the store). */
  private LaneOwnership ownership;
  /** The smallest delivery id another writer notified since the last claim (its commit may be late). */
  private long notifiedFrom = Long.MAX_VALUE;

  /** A lane to look at again at a given time (a pause, a token, a coalescing window). */
  private record Wake(long at, Lane lane) {}

  public DeliveryVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    DeliveryConfig d = services.config().delivery();
    client = WebClient.create(vertx, new WebClientOptions()
        .setFollowRedirects(false)
        .setConnectTimeout((int) d.connectTimeout().toMillis())
        .setIdleTimeout(60)
        .setKeepAlive(true)
        .setVerifyHost(true)
        .setUserAgent("hookgate/1"));
    retryPolicy();
    ownership = new LaneOwnership(services.store().shared(), services.store(), services.nodeId());
    if (ownership.shared()) {
      holdLanes();
    }
    vertx.setPeriodic(POLL_MS, id -> claim(true));
    vertx.setPeriodic(Math.max(1000, services.config().store().lease().toMillis() / 3), id -> heartbeat());
    vertx.setTimer(1, id -> claim());
    vertx.setPeriodic(BACKLOG_REFRESH_MS, id -> services.store().backlog()
        .onSuccess(b -> {
          ownership.backlog(b.keySet());
          Map<String, long[]> byDestination = new HashMap<>();
          b.forEach((lane, v) -> byDestination.merge(Lanes.publicName(lane), v.clone(),
              (x, y) -> new long[] {x[0] + y[0], Math.min(x[1], y[1])}));
          services.metrics().backlog(byDestination, services.now());
        }));
    return vertx.eventBus().consumer(Addresses.DELIVERIES_READY, m -> {
      if (m.body() instanceof Long firstId) { // ids are not in commit order across writers: look from there
        notifiedFrom = Math.min(notifiedFrom, firstId);
      }
      claim();
    }).completion();
  }

  /**
   * A graceful stop gives up this node's lanes at once (rather than after the lease), and what it
   * holds of them; the next owner waits a second so that the two never share a one-second window.
   */
  @Override
  public Future<?> stop() {
    stopping = true; // posts still in flight are not recorded: their leases bring them back at the next start
    if (!ownership.shared()) {
      return Future.succeededFuture();
    }
    List<Long> queued = new ArrayList<>();
    lanes.values().forEach(l -> l.queue.forEach(d -> queued.add(d.id())));
    return ownership.release(services.now())
        .compose(v -> services.store().renewLeases(services.nodeId(), List.of(), queued, 0))
        .otherwise(e -> {
          LOG.warn("releasing lanes at stop failed: {}", e.getMessage());
          return null;
        });
  }

  // ------------------------------------------------------------------ lane leases (several nodes)

  /** Takes the destination lanes nobody holds and renews this node's; lets go of what it lost. */
  private void holdLanes() {
    long now = services.now();
    List<String> wanted = new ArrayList<>();
    services.config().destinations().keySet().forEach(dest -> wanted.add(Lanes.DESTINATION_PREFIX + dest));
    lanes.keySet().stream().filter(Lanes::isDestination).forEach(wanted::add);
    ownership.hold(wanted, now, services.config().store().lease().toMillis(), renewal -> {
      for (Map.Entry<String, Long> e : renewal.pausedUntil().entrySet()) {
        if (e.getValue() > now) {
          Lane lane = lane(e.getKey());
          lane.blockedUntil = Math.max(lane.blockedUntil, e.getValue());
        }
      }
      releaseUnowned();
      if (renewal.gained()) {
        claim(true);
      }
    });
  }

  /** Gives back the queued deliveries of destination lanes that another node owns (moved here by a fallback). */
  private void releaseUnowned() {
    if (!ownership.shared()) {
      return;
    }
    List<Long> release = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      if (Lanes.isDestination(lane.name) && !ownership.holds(lane.name) && !lane.queue.isEmpty()) {
        List<Delivery> ds = lane.removeFirst(lane.queue.size());
        lane.forget(ds);
        held -= ds.size();
        ds.forEach(d -> release.add(d.id()));
      }
    }
    if (!release.isEmpty()) {
      LOG.info("{} deliveries left to the nodes that own their lanes", release.size());
      services.store().renewLeases(services.nodeId(), List.of(), release, 0)
          .onFailure(e -> LOG.error("releasing deliveries failed: {}", e.getMessage()));
    }
  }

  // ------------------------------------------------------------------ claiming

  /** Claims what was queued since the last claim (cheap); every POLL_MS, a full sweep. */
  private void claim() {
    claim(false);
  }

  private void claim(boolean sweep) {
    long now = services.now();
    if (sweep) {
      sweepWanted = true;
    }
    if (claiming || now - lastClaim < MIN_CLAIM_INTERVAL_MS) {
      claimAgain = true;
      if (!claiming && !claimTimerSet) {
        claimTimerSet = true;
        vertx.setTimer(MIN_CLAIM_INTERVAL_MS, id -> {
          claimTimerSet = false;
          claim();
        });
      }
      return;
    }
    if (held >= MAX_HELD) {
      return;
    }
    claiming = true;
    claimAgain = false;
    boolean full = sweepWanted || cursor < 0;
    sweepWanted = false;
    lastClaim = now;
    long notified = notifiedFrom;
    notifiedFrom = Long.MAX_VALUE;
    // from a notified id on (an earlier id may commit after a later one); an id of 0: a full look
    long afterId = full ? -1 : notified == Long.MAX_VALUE ? cursor : Math.min(cursor, notified - 1);
    // only a destination's lane can fill up (a reply has a few parts): no need to look at every lane
    List<String> fullLanes = services.config().destinations().keySet().stream()
        .map(d -> lanes.get(Lanes.DESTINATION_PREFIX + d))
        .filter(l -> l != null && l.held() >= PER_LANE).map(l -> l.name).toList();
    long leaseUntil = now + services.config().store().lease().toMillis();
    Store store = services.store();
    int max = Math.min(CLAIM_BATCH, MAX_HELD - held);
    (ownership.shared() ? store.claimOwnedDeliveries(fullLanes, PER_LANE, max, services.nodeId(), now, leaseUntil, afterId)
        : store.claimDeliveries(fullLanes, PER_LANE, max, services.nodeId(), now, leaseUntil, afterId))
        .onComplete(r -> {
          claiming = false;
          if (r.succeeded()) {
            cursor = Math.max(cursor, 0); // after the first sweep: new rows only, and a sweep every POLL_MS
            r.result().forEach(d -> {
              cursor = Math.max(cursor, d.id());
              hold(d);
            });
          } else {
            notifiedFrom = Math.min(notifiedFrom, notified);
            LOG.error("claiming deliveries failed: {}", r.cause().getMessage());
          }
          if (claimAgain) {
            claim();
          }
        });
  }

  private void hold(Delivery d) {
    Lane lane = lane(d.lane());
    if (lane.add(d)) {
      held++;
      markRunnable(lane);
    }
  }

  private Lane lane(String name) {
    return lanes.computeIfAbsent(name, n -> new Lane(n, destinationOf(n), services.now()));
  }

  private DestinationConfig destinationOf(String lane) {
    return Lanes.isDestination(lane)
        ? services.config().destinations().get(lane.substring(Lanes.DESTINATION_PREFIX.length()))
        : null;
  }

  private void heartbeat() {
    if (ownership.shared()) {
      holdLanes();
    }
    List<Long> ids = lanes.values().stream().flatMap(l -> l.heldIds().stream()).toList();
    if (!ids.isEmpty()) {
      long until = services.now() + services.config().store().lease().toMillis();
      services.store().renewLeases(services.nodeId(), List.of(), ids, until)
          .onFailure(e -> LOG.error("renewing delivery leases failed: {}", e.getMessage()));
    }
  }

  // ------------------------------------------------------------------ sending

  /** Lanes that may have something to send now; only these are looked at (not every lane). */
  private void markRunnable(Lane lane) {
    runnable.add(lane);
    if (!pumpScheduled) {
      pumpScheduled = true;
      vertx.runOnContext(v -> {
        pumpScheduled = false;
        pump();
      });
    }
  }

  private void pump() {
    if (stopping) {
      return;
    }
    long now = services.now();
    while (!wakeups.isEmpty() && wakeups.peek().at() <= now) {
      Wake w = wakeups.poll();
      if (w.at() == w.lane().wakeAt) {
        w.lane().wakeAt = Long.MAX_VALUE;
        runnable.add(w.lane());
      }
    }
    List<Lane> ready = List.copyOf(runnable);
    runnable.clear();
    for (Lane lane : ready) {
      long next = drive(lane, now);
      if (next != Long.MAX_VALUE && next < lane.wakeAt) {
        lane.wakeAt = next;
        wakeups.add(new Wake(next, lane));
      } else if (lane.held() == 0 && lane.inFlight == 0 && !Lanes.isDestination(lane.name)) {
        lanes.remove(lane.name);
      }
    }
    if (!wakeups.isEmpty()) {
      scheduleWake(wakeups.peek().at(), now);
    }
  }

  /** Sends what this lane may send now; returns when it should be looked at again. */
  private long drive(Lane lane, long now) {
    GatewayConfig config = services.config();
    DestinationConfig dest = destinationOf(lane.name);
    lane.pace(dest, now);
    int maxInFlight = dest == null ? 1 : dest.maxInFlight();
    int maxChars = dest == null ? config.responseUrl().maxPostChars() : dest.maxPostChars();
    if (!lane.queue.isEmpty() && !ownership.owns(lane.name, now)) { // lease late to renew: wait; lost: released by holdLanes
      return ownership.holds(lane.name) ? now + 250 : Long.MAX_VALUE;
    }
    while (!lane.queue.isEmpty() && lane.inFlight < maxInFlight) {
      if (now < lane.blockedUntil) {
        return lane.blockedUntil;
      }
      Delivery head = lane.queue.getFirst();
      if (head.notBefore() > now) {
        return head.notBefore();
      }
      if (Lanes.isDestination(lane.name) && dest == null) {
        List<Delivery> all = lane.removeFirst(lane.queue.size());
        bury(lane, all, "destination " + lane.name.substring(Lanes.DESTINATION_PREFIX.length())
            + " is not configured");
        return Long.MAX_VALUE;
      }
      if (lane.bucket != null && !lane.bucket.tryTake(now)) {
        return lane.bucket.nextTokenAt(now);
      }
      Coalescer.Batch batch = Coalescer.take(
          new ArrayList<>(lane.queue.subList(0, Math.min(lane.queue.size(), 2000))), maxChars);
      lane.removeFirst(batch.deliveries().size());
      lane.inFlight++;
      send(lane, dest, batch).onComplete(r -> {
        lane.inFlight--;
        if (r.failed() && !stopping) {
          LOG.error("delivery to lane {} failed internally: {}", Lanes.logName(lane.name), r.cause().toString());
          lane.requeueFront(batch.deliveries());
          lane.blockedUntil = services.now() + 1000;
        }
        markRunnable(lane);
      });
    }
    return Long.MAX_VALUE;
  }

  private Future<Void> send(Lane lane, DestinationConfig dest, Coalescer.Batch batch) {
    if (dest != null) {
      return post(lane, dest.url(), batch, false);
    }
    String url = batch.deliveries().get(0).responseUrl();
    if (!services.config().responseUrl().allows(url)) {
      return bury(lane, batch.deliveries(), "response_url host is not in response-url.allowed-hosts");
    }
    return services.store().tryUseResponseUrl(batch.deliveries().get(0).jobId(), services.now(),
            RESPONSE_URL_LIFETIME_MS, RESPONSE_URL_USES)
        .compose(ok -> ok ? post(lane, url, batch, true)
            : exhausted(lane, batch.deliveries()));
  }

  private Future<Void> post(Lane lane, String url, Coalescer.Batch batch, boolean responseUrl) {
    long started = services.now();
    String body = batch.message().encode();
    return client.postAbs(url)
        .timeout(services.config().delivery().requestTimeout().toMillis())
        .putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .map(resp -> SendOutcome.classify(resp.statusCode(), resp.getHeader("retry-after"),
            SafeText.scrub(resp.bodyAsString(), url),
            responseUrl, services.now()))
        .otherwise(e -> new SendOutcome.Retry(SafeText.failure(e)))
        .compose(outcome -> stopping ? Future.<Void>succeededFuture() : settle(lane, batch, outcome, started)
            // the outcome is applied in memory already: a failed store write is left to the lease
            // and the next sweep, never answered by sending again
            .recover(e -> {
              LOG.error("recording a delivery outcome failed: {}", e.getMessage());
              return Future.succeededFuture();
            }));
  }

  private Future<Void> settle(Lane lane, Coalescer.Batch batch, SendOutcome outcome, long started) {
    long now = services.now();
    List<Delivery> ds = batch.deliveries();
    String what = ds.size() == 1 ? "delivery " + ds.get(0).id() : ds.size() + " deliveries " + ds.get(0).id() + ".."
        + ds.get(ds.size() - 1).id();
    if (outcome instanceof SendOutcome.Delivered) {
      LOG.info("{} to {} delivered in {} ms", what, Lanes.logName(lane.name), now - started);
      services.metrics().delivery(Lanes.publicName(lane.name), "delivered", ds.size());
      if (ds.size() > 1) {
        services.metrics().coalesced(Lanes.publicName(lane.name), ds.size());
      }
      lane.forget(ds);
      held -= ds.size();
      return services.store().markDelivered(batch.ids(), now);
    }
    if (outcome instanceof SendOutcome.Spent) {
      return fallBack(lane, ds, "response_url refused: " + outcome.reason());
    }
    if (outcome instanceof SendOutcome.Rejected) {
      return services.store().recordAttempt(batch.ids(), outcome.reason(), true)
          .compose(v -> bury(lane, ds, "rejected by the chat server: " + outcome.reason()));
    }
    DeliveryConfig policy = services.config().delivery();
    boolean limited = outcome instanceof SendOutcome.RateLimited;
    List<Delivery> tried = ds.stream().map(d -> limited ? d : d.withAttempt(outcome.reason())).toList();
    int attempts = tried.stream().mapToInt(Delivery::attempts).max().orElse(0);
    long oldest = tried.stream().mapToLong(Delivery::createdAt).min().orElse(now);
    if (attempts >= policy.maxAttempts() || now - oldest > policy.maxAge().toMillis()) {
      return bury(lane, ds, "gave up after " + attempts + " attempts: " + outcome.reason());
    }
    long wait = limited ? ((SendOutcome.RateLimited) outcome).waitMs() : retryPolicy().backoffMs(attempts);
    lane.blockedUntil = Math.max(lane.blockedUntil, now + wait);
    lane.requeueFront(tried);
    if (limited) { // for whoever owns the lane next
      ownership.paused(lane.name, now + wait);
    }
    services.metrics().delivery(Lanes.publicName(lane.name), limited ? "rate_limited" : "retried", ds.size());
    LOG.warn("{} to {}: {}; lane paused {} ms", what, Lanes.logName(lane.name), outcome.reason(), wait);
    Future<Void> recorded = services.store().recordAttempt(batch.ids(), outcome.reason(), !limited);
    if (!Lanes.isDestination(lane.name) && neverReachedTheHook(outcome)) {
      return recorded.compose(v -> services.store().returnResponseUrlUse(ds.get(0).jobId()));
    }
    return recorded;
  }

  /** Mattermost counts a use once it has found the hook: not on a 429 or when nothing was connected. */
  private static boolean neverReachedTheHook(SendOutcome outcome) {
    return outcome instanceof SendOutcome.RateLimited
        || outcome.reason().equals(SafeText.failure(new java.net.ConnectException()))
        || outcome.reason().startsWith("cannot resolve");
  }

  private Future<Void> exhausted(Lane lane, List<Delivery> ds) {
    services.metrics().responseUrlExhausted();
    return fallBack(lane, ds, "response_url spent (5 uses) or expired (30 minutes)");
  }

  /** A response_url that cannot be used any more: its deliveries move to the command's fallback destination. */
  private Future<Void> fallBack(Lane lane, List<Delivery> ds, String reason) {
    // an incoming hook posts in the channel: what was meant for one user (ephemeral) stays private
    Map<Boolean, List<Delivery>> privateOnes = ds.stream().collect(Collectors.partitioningBy(
        d -> CommandReply.EPHEMERAL.equals(d.message().responseType())));
    List<Future<Void>> done = new ArrayList<>();
    if (!privateOnes.get(true).isEmpty()) {
      done.add(bury(lane, privateOnes.get(true), reason + "; an ephemeral message is not posted in a channel"));
    }
    Map<String, List<Delivery>> byFallback = privateOnes.get(false).stream().collect(Collectors.groupingBy(
        d -> d.fallback() != null && services.config().destinations().containsKey(d.fallback()) ? d.fallback() : ""));
    byFallback.forEach((fallback, group) -> {
      if (fallback.isEmpty()) {
        done.add(bury(lane, group, reason + ", and no fallback destination"));
        return;
      }
      lane.forget(group);
      held -= group.size();
      services.metrics().delivery(Lanes.publicName(lane.name), "fallback", group.size());
      List<Long> ids = group.stream().map(Delivery::id).toList();
      LOG.info("{} deliveries of lane {} move to destination {}: {}", group.size(), Lanes.logName(lane.name), fallback,
          reason);
      done.add(services.store().retarget(ids, fallback)
          .onSuccess(v -> {
            group.forEach(d -> hold(d.retargeted(fallback)));
            releaseUnowned();
          }));
    });
    return Future.all(done).mapEmpty();
  }

  private Future<Void> bury(Lane lane, List<Delivery> ds, String reason) {
    lane.forget(ds);
    held -= ds.size();
    LOG.warn("{} deliveries of lane {} are dead: {}", ds.size(), Lanes.logName(lane.name), reason);
    services.metrics().delivery(Lanes.publicName(lane.name), "dead", ds.size());
    return services.store().markDead(ds.stream().map(Delivery::id).toList(), reason, services.now());
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
      pump();
    });
  }


  /** The retry schedule of the current config (a reload may change it). */
  private RetryPolicy retryPolicy() {
    List<java.time.Duration> backoff = services.config().delivery().backoff();
    if (!backoff.equals(retryBackoff)) {
      retryBackoff = backoff;
      retry = new RetryPolicy(backoff, RandomGenerator.getDefault());
    }
    return retry;
  }

}
