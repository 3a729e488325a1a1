package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.protocol.ChatMessage;
import dev.hookgate.store.Delivery;
import dev.hookgate.store.NewDelivery;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hand-off's decisions: when a lane takes deliveries from memory, when it must go through the
 * store (a claim) so that no message overtakes an older one, and when it may take from memory again.
 */
@ExtendWith(VertxExtension.class)
class DeliveryHandoffTest {
  private static final String OPS = "dest:ops";
  private static final String REPLY = "resp:job-1";

  @Test
  void aJobsReplyLaneTakesItsRepliesFromMemoryUntilItHoldsAFullLane() {
    DeliveryHandoff handoff = new DeliveryHandoff(3, 100);

    assertTrue(takes(handoff, REPLY, 2));
    assertTrue(takes(handoff, REPLY, 1));
    assertFalse(takes(handoff, REPLY, 1), "a fourth would exceed the lane's room");
    assertEquals(3, handoff.held());
  }

  @Test
  void theEngineAsAWholeHoldsAtMostItsTotal() {
    DeliveryHandoff handoff = new DeliveryHandoff(10, 4);

    assertTrue(takes(handoff, "resp:a", 3));
    assertFalse(takes(handoff, "resp:b", 2));
    assertTrue(takes(handoff, "resp:c", 1));
  }

  @Test
  void aDestinationLaneGoesByClaimsUntilASweepHasFoundItsBacklogTaken() {
    DeliveryHandoff handoff = new DeliveryHandoff(10, 100);

    DeliveryHandoff.Ticket first = handoff.reserve(OPS, 1);
    assertFalse(first.leased(), "at the start the store may hold older messages of the lane");
    first.stored(List.of());
    DeliveryHandoff.SweepStart sweep = handoff.sweepStarting();
    handoff.swept(sweep, deliveries(OPS, 2), List.of(), true);

    assertTrue(takes(handoff, OPS, 1));
  }

  @Test
  void aSpilledLaneStaysOnClaimsWhileAWriteForAClaimIsInFlightOrCameDuringTheSweep() {
    DeliveryHandoff handoff = new DeliveryHandoff(10, 100);
    DeliveryHandoff.Ticket inFlight = handoff.reserve(OPS, 1);

    // the sweep started before that write committed: it may not have seen it
    handoff.swept(handoff.sweepStarting(), List.of(), List.of(), true);
    assertFalse(takes(handoff, OPS, 1));

    inFlight.stored(List.of());
    DeliveryHandoff.SweepStart sweep = handoff.sweepStarting();
    DeliveryHandoff.Ticket during = handoff.reserve(OPS, 1); // stored for a claim while the sweep reads
    during.stored(List.of());
    handoff.swept(sweep, List.of(), List.of(), true);
    assertFalse(takes(handoff, OPS, 1), "a write after the sweep began may not be in what it read");
  }

  @Test
  void aSweepCutByItsLimitOrThatFilledTheLaneOrSkippedItClearsNothing() {
    DeliveryHandoff handoff = new DeliveryHandoff(2, 100);
    handoff.reserve(OPS, 1).stored(List.of());

    handoff.swept(handoff.sweepStarting(), List.of(), List.of(), false);
    assertFalse(takes(handoff, OPS, 1), "cut by its limit");

    handoff.swept(handoff.sweepStarting(), deliveries(OPS, 2), List.of(), true);
    assertFalse(takes(handoff, OPS, 1), "it took a full lane's worth: more may wait");

    handoff.swept(handoff.sweepStarting(), List.of(), List.of(OPS), true);
    assertFalse(takes(handoff, OPS, 1), "the lane was skipped");
  }

  @Test
  void deliveriesThatLeaveMemoryMakeRoomAgain() {
    DeliveryHandoff handoff = new DeliveryHandoff(2, 100);
    assertTrue(takes(handoff, REPLY, 2));

    handoff.left(REPLY, 2);

    assertEquals(0, handoff.held());
    assertTrue(takes(handoff, REPLY, 2));
  }

  @Test
  void aWriteThatFailedOrStoredLessGivesItsRoomBack() {
    DeliveryHandoff handoff = new DeliveryHandoff(2, 100);
    handoff.reserve(REPLY, 2).notStored();
    assertEquals(0, handoff.held());

    DeliveryHandoff.Ticket repeat = handoff.reserve("resp:job-2", 2);
    repeat.stored(List.of()); // an idempotent repeat: nothing stored
    assertEquals(0, handoff.held());
  }

  @Test
  void onASharedStoreOnlyTheLanesThisNodeOwnsTakeFromMemoryAndAGainedLaneWaitsForASweep() {
    DeliveryHandoff handoff = new DeliveryHandoff(10, 100);
    handoff.owned(List.of());
    handoff.reserve(OPS, 1).stored(List.of());
    handoff.swept(handoff.sweepStarting(), List.of(), List.of(), true);
    assertFalse(takes(handoff, OPS, 1), "another node owns it");
    assertTrue(takes(handoff, REPLY, 1), "a reply lane is always the node's that ran the job");

    handoff.owned(List.of(OPS));
    assertFalse(takes(handoff, OPS, 1), "its previous owner may have left a backlog");
    handoff.swept(handoff.sweepStarting(), List.of(), List.of(), true);
    assertTrue(takes(handoff, OPS, 1));
  }

  @Test
  void handedOverDeliveriesReachTheEngineOnItsContextInOrder(Vertx vertx, VertxTestContext test) {
    DeliveryHandoff handoff = new DeliveryHandoff(10, 100);
    List<Long> seen = new ArrayList<>();
    List<Boolean> usesTaken = new ArrayList<>();
    vertx.runOnContext(v -> handoff.attach(vertx.getOrCreateContext(), arrival -> {
      test.verify(() -> assertTrue(vertx.getOrCreateContext().isEventLoopContext()));
      arrival.deliveries().forEach(d -> seen.add(d.id()));
      usesTaken.add(arrival.firstUseTaken());
      if (seen.size() == 3) {
        test.verify(() -> {
          assertEquals(List.of(1L, 2L, 3L), seen);
          assertEquals(List.of(true, false), usesTaken);
        });
        test.completeNow();
      }
    }));
    DeliveryHandoff.Ticket reply = handoff.reserve(REPLY, 2);
    DeliveryHandoff.Ticket more = handoff.reserve(REPLY, 1);
    vertx.setTimer(10, t -> {
      reply.stored(withIds(REPLY, 1L, 2L), true);
      more.stored(withIds(REPLY, 3L));
    });
  }

  /** Reserves room as a producer would, and settles at once as if the write was done (nothing handed over). */
  private static boolean takes(DeliveryHandoff handoff, String lane, int n) {
    DeliveryHandoff.Ticket ticket = handoff.reserve(lane, n);
    if (!ticket.leased()) {
      ticket.stored(List.of());
    }
    return ticket.leased();
  }

  private static List<Delivery> withIds(String lane, long... ids) {
    return LongStream.of(ids).mapToObj(id -> delivery(lane, id)).toList();
  }

  private static List<Delivery> deliveries(String lane, int n) {
    return LongStream.rangeClosed(1, n).mapToObj(id -> delivery(lane, id)).toList();
  }

  private static Delivery delivery(String lane, long id) {
    ChatMessage m = ChatMessage.text("in_channel", "m" + id);
    NewDelivery d = lane.startsWith("dest:") ? NewDelivery.toDestination(lane.substring(5), null, m, 0, 0)
        : NewDelivery.toResponseUrl("https://chat/hooks/commands/x", null, lane.substring(5), m, 0);
    return Delivery.stored(id, d);
  }
}
