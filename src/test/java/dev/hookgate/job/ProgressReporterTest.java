package dev.hookgate.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
  final AtomicLong now = new AtomicLong(1_000);
  final List<String> sent = new ArrayList<>();
  final ProgressReporter reporter = new ProgressReporter(3, 2_000, now::get, sent::add);

  @Test
  void linesWithinTheIntervalAreDropped() {
    reporter.accept("a");
    now.addAndGet(1_999);
    reporter.accept("b");
    now.addAndGet(1);
    reporter.accept("c");
    assertEquals(List.of("a", "c"), sent);
  }

  @Test
  void noMoreThanTheMaximumSoThatUsesRemainForTheResult() {
    for (int i = 0; i < 10; i++) {
      reporter.accept("step " + i);
      now.addAndGet(5_000);
    }
    assertEquals(List.of("step 0", "step 1", "step 2"), sent);
  }

  @Test
  void emptyLinesAreNotSent() {
    reporter.accept("");
    assertEquals(List.of(), sent);
  }
}
