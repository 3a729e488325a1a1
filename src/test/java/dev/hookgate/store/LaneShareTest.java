package dev.hookgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LaneShareTest {
  private static final List<String> FOUR = List.of("dest:a", "dest:b", "dest:c", "dest:d");

  private static LaneShare.Lease held(String owner) {
    return new LaneShare.Lease(owner, null);
  }

  @Test
  void a_node_alone_takes_every_lane() {
    LaneShare s = LaneShare.of("n1", FOUR, Map.of(), Set.of());
    assertEquals(4, s.share());
    assertEquals(4, s.mayTake());
    assertEquals(List.of(), s.ask(4));
  }

  @Test
  void a_second_node_takes_free_lanes_up_to_half_only() {
    LaneShare s = LaneShare.of("n2", FOUR, Map.of("dest:a", held("n1")), Set.of());
    assertEquals(2, s.share());
    assertEquals(2, s.mayTake());
    assertEquals(Set.of("dest:a"), s.notTaken());
  }

  @Test
  void a_node_with_none_asks_for_lanes_of_the_node_that_holds_them_all() {
    Map<String, LaneShare.Lease> live = Map.of("dest:a", held("n1"), "dest:b", held("n1"), "dest:c", held("n1"),
        "dest:d", held("n1"));
    LaneShare s = LaneShare.of("n2", FOUR, live, Set.of());
    assertEquals(Set.copyOf(FOUR), s.notTaken());
    assertEquals(List.of("dest:a", "dest:b"), s.ask(0));
    assertEquals(List.of(), s.ask(2));
  }

  @Test
  void the_node_above_its_share_hands_over_only_what_a_live_node_asked_for() {
    Map<String, LaneShare.Lease> live = Map.of("dest:a", new LaneShare.Lease("n1", "n2"),
        "dest:b", new LaneShare.Lease("n1", "n2"), "dest:c", new LaneShare.Lease("n1", "n3"), "dest:d", held("n1"));
    // n2 is alive, n3 stopped: n3's request counts for nothing
    LaneShare s = LaneShare.of("n1", FOUR, live, Set.of("n2"));
    assertEquals(2, s.share());
    assertEquals(List.of("dest:a", "dest:b"), s.surplus());
    assertEquals(Set.of("dest:c", "dest:d"), s.kept());
    assertEquals(0, s.mayTake());
    // nobody alive asked: it keeps them all rather than leave lanes unsent
    LaneShare alone = LaneShare.of("n1", FOUR, live, Set.of());
    assertEquals(List.of(), alone.surplus());
    assertEquals(4, alone.kept().size());
  }

  @Test
  void three_lanes_on_two_nodes_split_two_and_one() {
    Map<String, LaneShare.Lease> live = Map.of("dest:a", held("n1"), "dest:b", held("n1"), "dest:c", held("n2"));
    List<String> three = List.of("dest:a", "dest:b", "dest:c");
    assertEquals(List.of(), LaneShare.of("n2", three, live, Set.of()).ask(1));
    assertEquals(List.of(), LaneShare.of("n1", three, live, Set.of("n2")).surplus());
  }
}
