package dev.hookgate.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;

class FileSettleTest {
  static FileSettle.Stamp stamp(long modified, long size) {
    return new FileSettle.Stamp(FileTime.fromMillis(modified), size);
  }

  @Test
  void aChangeIsReadOnceItHasStayedTheSameForTheSettlePeriod() {
    FileSettle settle = new FileSettle(stamp(1, 100), 2000);
    assertFalse(settle.scan(stamp(1, 100), 0), "unchanged");
    assertFalse(settle.scan(stamp(5, 40), 500), "a change just seen");
    assertTrue(settle.pending());
    assertFalse(settle.scan(stamp(5, 40), 2499), "not yet 2 s");
    assertTrue(settle.scan(stamp(5, 40), 2500));
    assertFalse(settle.pending());
    assertFalse(settle.scan(stamp(5, 40), 9000), "read once");
  }

  @Test
  void aPrefixReplacedWithinThePeriodIsNeverRead() {
    FileSettle settle = new FileSettle(stamp(1, 100), 2000);
    settle.scan(stamp(5, 0), 1000); // truncated
    settle.scan(stamp(5, 37), 2500); // a prefix, same second
    assertFalse(settle.scan(stamp(6, 120), 4000), "the whole file, just seen");
    assertFalse(settle.scan(stamp(6, 120), 5999));
    assertTrue(settle.scan(stamp(6, 120), 6000));
  }

  @Test
  void aFileBackAsItWasLoadedIsNotReadAgain() {
    FileSettle settle = new FileSettle(stamp(1, 100), 2000);
    settle.scan(stamp(5, 0), 1000);
    settle.scan(stamp(1, 100), 1500);
    assertFalse(settle.pending());
    assertFalse(settle.scan(stamp(1, 100), 9000));
  }

  @Test
  void aDeletedFileSettlesLikeAnyChange() {
    FileSettle settle = new FileSettle(stamp(1, 100), 2000);
    settle.scan(null, 0);
    assertTrue(settle.scan(null, 2000), "read: its refusal says the file is gone");
    assertFalse(settle.scan(null, 5000));
  }
}
