package dev.hookgate.store;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;

/**
 * Several nodes on one store: each destination's lane has one owner at a time. A store that one
 * node holds alone ({@link #shared()} false) grants every lane.
 */
public interface LaneLeases {

  /** True when several gateway nodes may share this store: lane leases and periodic recovery then matter. */
  boolean shared();

  /**
   * Takes or renews the lease of {@code owner} on these lanes (a lane nobody holds, or whose lease
   * expired, becomes owner's; a lane that a live node holds stays its). The future holds the lanes
   * owner now holds, each with the time before which nothing may be sent to it (a Retry-After that
   * its previous owner recorded with {@link #pauseLane}).
   */
  Future<Map<String, Long>> holdLanes(String owner, Collection<String> lanes, long now, long leaseUntil);

  /** Records that nothing may be sent to this lane before {@code until} (Retry-After), for whoever owns it next. */
  Future<Void> pauseLane(String lane, long until);

  /** Gives up every lane lease of {@code owner} (a graceful stop); the next owner waits until {@code pausedUntil}. */
  Future<Void> releaseLanes(String owner, long pausedUntil);
}
