package dev.hookgate.store;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the admin API, the admin page and the metrics read. These run on a read connection of their
 * own, never on the writer that acknowledgements wait for; each is an indexed look-up or range.
 */
public interface AdminQueries {

  Future<Optional<JobRecord>> job(String id);

  /** The newest jobs first (by id: ids are UUIDv7, ordered by creation time). */
  Future<List<JobRecord>> recentJobs(int limit);

  /** Deliveries in one state, newest first. */
  Future<List<Delivery>> deliveries(DeliveryState state, int limit);

  /** Puts a dead delivery back in its queue; false if there is no such dead delivery. */
  Future<Boolean> replay(long id, long now);

  /**
   * Pending deliveries per destination lane ({@code dest:<name>}), and all replies to
   * response_urls together under {@code resp:}: count and oldest creation time.
   */
  Future<Map<String, long[]>> backlog();
}
