package dev.hookgate.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the store did, for metrics and benchmarks: operations by name, transactions (group
 * commits) and failed operations. Counted on the writer thread and read by a metrics scrape.
 */
public final class StoreStats {
  /** Every write operation of the engine, by the name it is counted under. */
  public static final List<String> WRITES = List.of("enqueueJob", "enqueueScheduledJob", "claimJobs", "finishJob",
      "renewJobLeases", "returnJobs", "recover", "enqueueDeliveries", "claimDeliveries", "renewDeliveryLeases", "markDelivered",
      "recordAttempt", "markDead", "retarget", "replay", "tryUseResponseUrl", "returnResponseUrlUse", "holdLanes",
      "pauseLane", "releaseLanes", "ping", "purgeDeliveries", "purgeJobs");

  private final Map<String, LongAdder> operations = new ConcurrentHashMap<>();

  StoreStats() {
    WRITES.forEach(n -> operations.put(n, new LongAdder()));
  }
  private final LongAdder transactions = new LongAdder();
  private final LongAdder failed = new LongAdder();

  void operation(String name) {
    operations.computeIfAbsent(name, n -> new LongAdder()).increment();
  }

  void committed() {
    transactions.increment();
  }

  void failed(int operations) {
    failed.add(operations);
  }

  /** Operations of this name committed since the start. */
  public long operations(String name) {
    LongAdder n = operations.get(name);
    return n == null ? 0 : n.sum();
  }

  public long transactions() {
    return transactions.sum();
  }

  public long failedOperations() {
    return failed.sum();
  }
}
