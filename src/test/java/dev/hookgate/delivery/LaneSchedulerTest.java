package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hookgate.config.DestinationConfig;
import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.DeliveryState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lane scheduler, with time passed in: coalescing windows per hook, coalesce: false, a missing destination. */
class LaneSchedulerTest {
  private static final long T0 = 1_000_000L;
  private static final DestinationConfig OPS = new DestinationConfig("ops", "http://127.0.0.1:9/hooks/x", 100, 100,
      16383, 1);

  private static Delivery delivery(long id, String hook, String text, long notBefore) {
    return new Delivery(id, "ops", null, null, null, hook, ChatMessage.fromJson("{\"username\":\"bot\"}").withText(text),
        DeliveryState.PENDING, 0, T0, notBefore, null, null);
  }

  private static LaneScheduler.Access access(DestinationConfig ops) {
    return new LaneScheduler.Access() {
      @Override
      public DestinationConfig destination(String lane) {
        return lane.equals("dest:ops") ? ops : null;
      }

      @Override
      public int responseUrlMaxPostChars() {
        return 16383;
      }

      @Override
      public boolean owns(String lane, long now) {
        return true;
      }

      @Override
      public boolean hasLease(String lane) {
        return true;
      }
    };
  }

  private static List<String> texts(LaneScheduler.Round round) {
    return round.posts().stream().map(p -> p.batch().message().text()).toList();
  }

  /** Ends the posts of a round as delivered, as the verticle does. */
  private static void delivered(LaneScheduler scheduler, LaneScheduler.Round round) {
    round.posts().forEach(p -> {
      p.lane().inFlight.remove(p.batch());
      scheduler.forget(p.lane(), p.batch().deliveries());
      scheduler.wake(p.lane());
    });
  }

  @Test
  void aHooksCoalescingWindowHoldsOnlyThatHooksMessages() {
    LaneScheduler scheduler = new LaneScheduler();
    scheduler.admit(delivery(1, "slow", "a1", T0 + 10_000), OPS, T0);
    scheduler.admit(delivery(2, "fast", "b1", T0), OPS, T0);
    scheduler.admit(delivery(3, "slow", "a2", T0 + 10_500), OPS, T0);
    LaneScheduler.Round now = scheduler.run(T0, access(OPS));
    assertEquals(List.of("b1"), texts(now));
    delivered(scheduler, now);
    LaneScheduler.Round before = scheduler.run(T0 + 1, access(OPS));
    assertEquals(List.of(), texts(before));
    assertEquals(T0 + 10_000, before.nextWake(), "the lane looks again when the window ends");
    // at the end of the first message's window, the hook's later messages go with it
    assertEquals(List.of("a1\na2"), texts(scheduler.run(T0 + 10_000, access(OPS))));
  }

  @Test
  void coalesceFalseKeepsEachMessageItsOwnPost() {
    DestinationConfig separate = new DestinationConfig("ops", OPS.url(), 100, 100, 16383, 1, false);
    LaneScheduler scheduler = new LaneScheduler();
    for (int i = 1; i <= 3; i++) {
      scheduler.admit(delivery(i, "alerts", "m" + i, T0), separate, T0);
    }
    for (int i = 1; i <= 3; i++) {
      LaneScheduler.Round round = scheduler.run(T0 + i, access(separate));
      assertEquals(List.of("m" + i), texts(round));
      delivered(scheduler, round);
    }
  }

  @Test
  void aBacklogBeyondWhatTheBucketAllowsNowIsCoalesced() {
    DestinationConfig slow = new DestinationConfig("ops", OPS.url(), 1, 2, 16383, 1);
    LaneScheduler scheduler = new LaneScheduler();
    for (int i = 1; i <= 3; i++) {
      scheduler.admit(delivery(i, "alerts", "m" + i, T0), slow, T0);
    }
    assertEquals(List.of("m1\nm2\nm3"), texts(scheduler.run(T0, access(slow))));
  }

  @Test
  void whatQueuedDuringAPauseIsCoalescedWhenItEnds() {
    LaneScheduler scheduler = new LaneScheduler();
    for (int i = 1; i <= 3; i++) {
      scheduler.admit(delivery(i, "alerts", "m" + i, T0), OPS, T0);
    }
    scheduler.existing("dest:ops").pausedUntil = T0 + 1000;
    assertEquals(List.of(), texts(scheduler.run(T0, access(OPS))));
    assertEquals(List.of("m1\nm2\nm3"), texts(scheduler.run(T0 + 1000, access(OPS))));
  }

  @Test
  void aBacklogWhoseHeadWaitedOverASecondIsCoalescedEvenWithTokensLeft() {
    LaneScheduler scheduler = new LaneScheduler();
    for (int i = 1; i <= 3; i++) {
      scheduler.admit(delivery(i, "alerts", "m" + i, T0), OPS, T0);
    }
    assertEquals(List.of("m1\nm2\nm3"), texts(scheduler.run(T0 + LaneScheduler.WAITED_MS + 1, access(OPS))));
  }

  @Test
  void tenMessagesToADestinationThatKeepsUpAreTenPostsEachUnchanged() {
    LaneScheduler scheduler = new LaneScheduler();
    List<Delivery> sent = new java.util.ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      Delivery d = delivery(i, "alerts", "m" + i, T0);
      sent.add(d);
      scheduler.admit(d, OPS, T0);
    }
    List<String> bodies = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      LaneScheduler.Round round = scheduler.run(T0 + i, access(OPS));
      round.posts().forEach(p -> bodies.add(p.batch().message().encode()));
      delivered(scheduler, round);
    }
    assertEquals(sent.stream().map(d -> d.message().encode()).toList(), bodies);
  }

  @Test
  void aLaneWhoseDestinationLeftTheConfigWaitsAndGoesOnceItIsBack() {
    LaneScheduler scheduler = new LaneScheduler();
    scheduler.admit(delivery(1, "alerts", "m1", T0), null, T0);
    LaneScheduler.Round missing = scheduler.run(T0, access(null));
    assertEquals(List.of(), missing.posts());
    assertEquals(1, missing.unconfigured().size());
    assertEquals(T0 + LaneScheduler.UNCONFIGURED_RECHECK_MS, missing.nextWake());
    assertEquals(List.of(), scheduler.run(T0 + 1000, access(null)).unconfigured(), "reported once");
    LaneScheduler.Round back = scheduler.run(T0 + 2000, access(OPS));
    assertEquals(List.of("m1"), texts(back));
    assertEquals(List.of("dest:ops"), back.reconfigured().stream().map(l -> l.name).toList());
    assertEquals(0, scheduler.existing("dest:ops").unconfiguredSince);
  }
}
