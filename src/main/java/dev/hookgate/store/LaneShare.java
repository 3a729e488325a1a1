package dev.hookgate.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One node's fair share of the destination lanes of a shared store, decided from the live leases
 * (no I/O): the nodes taking part are those holding a live lease, those that asked for a lane and
 * this one; the lanes are those leased and those this node wants; the share is their count divided
 * by the nodes', rounded up. A node keeps its lanes up to the share and hands over the surplus only
 * to a live node that asked for it (never to nobody: a lane is not left unsent); it takes free lanes
 * up to its share; below it, it asks for lanes of the nodes above theirs.
 *
 * @param kept this node's live leases that it keeps (renews)
 * @param notTaken lanes this node must not take now: other nodes' live leases and its surplus
 * @param surplus lanes this node hands over (each to the live node that asked for it)
 * @param mayTake how many free (or expired) lanes it may take
 * @param share its fair share
 * @param asks lanes it would ask for if it ends below its share, in order (see {@link #ask})
 */
record LaneShare(Set<String> kept, Set<String> notTaken, List<String> surplus, int mayTake, int share,
    List<String> asks) {

  /** A live lease: its owner and the node that asked for it (null: none). */
  record Lease(String owner, String wantedBy) {}

  /**
   * @param wanted the lanes this node wants, sorted
   * @param live lane to live lease
   * @param liveWanters the live nodes that asked for a lane
   */
  static LaneShare of(String node, List<String> wanted, Map<String, Lease> live, Set<String> liveWanters) {
    Set<String> nodes = new HashSet<>(liveWanters);
    Map<String, Integer> counts = new HashMap<>();
    live.values().forEach(l -> counts.merge(l.owner(), 1, Integer::sum));
    nodes.addAll(counts.keySet());
    nodes.add(node);
    Set<String> lanes = new TreeSet<>(live.keySet());
    lanes.addAll(wanted);
    int share = (lanes.size() + nodes.size() - 1) / nodes.size();

    Set<String> kept = new TreeSet<>();
    Set<String> notTaken = new HashSet<>();
    for (Map.Entry<String, Lease> e : live.entrySet()) {
      if (e.getValue().owner().equals(node)) {
        if (wanted.contains(e.getKey())) {
          kept.add(e.getKey());
        }
      } else {
        notTaken.add(e.getKey());
      }
    }
    List<String> surplus = new ArrayList<>();
    for (String lane : kept) {
      String asker = live.get(lane).wantedBy();
      if (kept.size() - surplus.size() > share && asker != null && !asker.equals(node) && liveWanters.contains(asker)) {
        surplus.add(lane);
      }
    }
    surplus.forEach(kept::remove);
    notTaken.addAll(surplus);

    List<String> asks = new ArrayList<>();
    Map<String, Integer> above = new HashMap<>();
    counts.forEach((owner, n) -> {
      if (!owner.equals(node) && n > share) {
        above.put(owner, n - share);
      }
    });
    for (String lane : wanted) {
      Lease l = live.get(lane);
      if (l != null && above.getOrDefault(l.owner(), 0) > 0) {
        above.merge(l.owner(), -1, Integer::sum);
        asks.add(lane);
      }
    }
    return new LaneShare(kept, notTaken, surplus, Math.max(0, share - kept.size()), share, asks);
  }

  /** The lanes to ask for when this node holds {@code held} lanes after taking: none at its share. */
  List<String> ask(int held) {
    return asks.subList(0, Math.max(0, Math.min(asks.size(), share - held)));
  }
}
