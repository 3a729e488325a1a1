package dev.hookgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stop a signal or the shutdown hook runs: the gateway closed once, its outcome the exit status. */
class GracefulStopTest {
  @Test
  void closesOnceAndEveryCallerGetsTheFirstOutcome() {
    AtomicInteger closes = new AtomicInteger();
    GracefulStop stop = new GracefulStop(() -> {
      closes.incrementAndGet();
      return Future.succeededFuture();
    }, () -> 5);
    assertTrue(stop.run());
    assertTrue(stop.run(), "the shutdown hook after the signal's stop");
    assertEquals(1, closes.get());
  }

  @Test
  void aFailedOrLateCloseIsUnclean() {
    assertFalse(new GracefulStop(() -> Future.failedFuture("store close failed"), () -> 5).run());
    Promise<Void> never = Promise.promise();
    assertFalse(new GracefulStop(never::future, () -> 0).run(), "not closed within the timeout");
  }
}
