package dev.hookgate.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Holds a store writer in an operation of its own, so that the operations submitted meanwhile are
 * drained into one transaction together once it is let go: group commits made certain in tests.
 */
final class WriterHold {
  private WriterHold() {}

  /** The latch that lets the holding operation go, and its future (complete once it committed). */
  record Held(CountDownLatch release, Future<Void> done) {}

  /** Submits the holding operation, waits until it runs, and answers the latch that lets it go. */
  static CountDownLatch hold(Function<SqlWriter.SqlOp<Void>, Future<Void>> submit) throws InterruptedException {
    return holding(submit).release();
  }

  /** As {@link #hold}, with the holding operation's future. */
  static Held holding(Function<SqlWriter.SqlOp<Void>, Future<Void>> submit) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Void> done = submit.apply(tx -> {
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertTrue(started.await(10, TimeUnit.SECONDS), "the writer took the holding operation");
    return new Held(release, done);
  }
}
