package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.Services;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.outbound.FailureKind;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.DeliveryState;
import dev.hookgate.store.JobState;
import dev.hookgate.store.Lease;
import dev.hookgate.store.NewDelivery;
import dev.hookgate.store.NewJob;
import dev.hookgate.store.SqlStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settler alone, over a real SQLite store and a clock the test sets: each decision on a post's
 * deliveries leaves the store, the lane, the hand-off's count and the response_url budget as it says.
 */
@ExtendWith(VertxExtension.class)
class SettlerTest {
  private static final String URL = "https://chat.example/hooks/commands/j1";

  @TempDir Path dir;
  private final DeliveryVerticleTest.MovableClock clock = new DeliveryVerticleTest.MovableClock();
  private SqlStore store;
  private Services services;
  private DeliveryHandoff handoff;
  private LaneScheduler scheduler;
  private Settler settler;
  private final List<Delivery> admitted = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    GatewayConfig config = ConfigLoader.resolve(new JsonObject("""
        {"destinations": {"ops": {"url": "https://chat.example/hooks/ops"}}}
        """), Map.of());
    store = SqlStore.sqlite(vertx, dir.resolve("hookgate.db"), "full", "node-1");
    await(store.open());
    services = Services.of(vertx, new AtomicReference<>(config), store, clock, "node-1", GatewayMetrics.create());
    handoff = services.handoff();
    scheduler = new LaneScheduler(handoff::left);
    settler = new Settler(services, scheduler, new LaneOwnership(false, store, "node-1"), admitted::add, () -> {});
  }

  /** A job's reply as the job worker leaves it: stored leased with the result, its first use taken. */
  private Lane reply(String text) {
    long now = clock.millis();
    await(store.enqueueJob(new NewJob("j1", "echo", Map.of("text", text), URL, now), 10, new Lease("node-1", now + 30_000)));
    DeliveryHandoff.Ticket ticket = handoff.reserve("resp:j1", 1);
    assertTrue(ticket.leased());
    List<Delivery> replies = await(store.finishJob("j1", JobState.SUCCEEDED, "ok", now,
        List.of(NewDelivery.toResponseUrl(URL, "ops", "j1", ChatMessage.text("in_channel", text), now)),
        new Lease("node-1", now + 30_000))).replies();
    replies.forEach(d -> scheduler.admit(d, null, now));
    return scheduler.existing("resp:j1");
  }

  private Coalescer.Batch take(Lane lane) {
    Coalescer.Batch batch = Coalescer.take(lane.due(clock.millis(), 10), 16_383);
    lane.remove(batch.deliveries());
    return batch;
  }

  @Test
  void aDeliveredPostIsMarkedDeliveredAndLeavesTheLaneAndTheHandoffsCount() {
    Lane lane = reply("done");
    Coalescer.Batch batch = take(lane);

    await(settler.apply(lane, batch, new Poster.Result(new SendOutcome.Delivered("HTTP 200"),
        new Decision.Delivered()), clock.millis()));

    assertEquals(List.of(batch.deliveries().get(0).id()),
        await(store.deliveries(DeliveryState.DELIVERED, 10)).stream().map(Delivery::id).toList());
    assertEquals(0, lane.claimed());
    assertEquals(0, handoff.held());
  }

  @Test
  void aRetryPausesTheLaneRequeuesInOrderCountsTheAttemptAndGivesBackAUseThatNeverReachedTheServer() {
    Lane lane = reply("retry me");
    Coalescer.Batch batch = take(lane);
    long at = clock.millis() + 5_000;

    await(settler.apply(lane, batch, new Poster.Result(new SendOutcome.Unanswered(FailureKind.CONNECT),
        new Decision.RetryAt(at, "connection refused", true)), clock.millis()));

    assertEquals(at, lane.pausedUntil);
    assertEquals(1, lane.queue.size());
    assertEquals(1, lane.queue.get(0).attempts());
    assertEquals(1, await(store.deliveries(DeliveryState.PENDING, 10)).get(0).attempts());
    assertEquals(1, handoff.held(), "still held in memory, for its retry");
    // the result's use was given back: all 5 are left
    for (int use = 1; use <= 5; use++) {
      assertTrue(await(store.tryUseResponseUrl("j1", clock.millis(), 30 * 60_000, 5)), "use " + use);
    }
  }

  @Test
  void aRateLimitPausesTheLaneWithoutCountingAnAttempt() {
    Lane lane = reply("429");
    Coalescer.Batch batch = take(lane);
    long at = clock.millis() + 2_000;

    await(settler.apply(lane, batch, new Poster.Result(new SendOutcome.RateLimited(2_000, "HTTP 429"),
        new Decision.PauseLaneUntil(at, "rate limited", true)), clock.millis()));

    assertEquals(at, lane.pausedUntil);
    assertEquals(0, lane.queue.get(0).attempts());
    assertEquals(0, await(store.deliveries(DeliveryState.PENDING, 10)).get(0).attempts());
  }

  @Test
  void aSpentResponseUrlMovesTheReplyToItsFallbackDestinationInTheStoreAndInMemory() {
    Lane lane = reply("too late");
    Coalescer.Batch batch = take(lane);

    await(settler.apply(lane, batch, new Poster.Result(new SendOutcome.Spent("HTTP 404"),
        new Decision.FallBack("ops", "response_url spent")), clock.millis()));

    assertEquals(List.of("ops"), admitted.stream().map(Delivery::destination).toList());
    assertEquals("dest:ops", await(store.deliveries(DeliveryState.PENDING, 10)).get(0).lane());
    assertEquals(0, lane.claimed());
  }

  @Test
  void aDeadPostIsRecordedWithItsAttemptAndLeavesMemory() {
    Lane lane = reply("refused");
    Coalescer.Batch batch = take(lane);

    await(settler.apply(lane, batch, new Poster.Result(new SendOutcome.Rejected("HTTP 400: bad"),
        new Decision.Dead("refused by the chat server")), clock.millis()));

    List<Delivery> dead = await(store.deliveries(DeliveryState.DEAD, 10));
    assertEquals(1, dead.size());
    assertEquals(1, dead.get(0).attempts());
    assertFalse(dead.get(0).lastError().isEmpty());
    assertEquals(0, handoff.held());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
