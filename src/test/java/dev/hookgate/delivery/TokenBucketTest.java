package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void fullBurstIsAvailableAtOnceThenNothing() {
    TokenBucket bucket = new TokenBucket(1, 3, T0);
    assertTrue(bucket.tryTake(T0));
    assertTrue(bucket.tryTake(T0));
    assertTrue(bucket.tryTake(T0));
    assertFalse(bucket.tryTake(T0));
  }

  @Test
  void tokensComeBackAtTheRate() {
    TokenBucket bucket = new TokenBucket(2, 1, T0); // one token every 500 ms
    assertTrue(bucket.tryTake(T0));
    assertFalse(bucket.tryTake(T0 + 499));
    assertTrue(bucket.tryTake(T0 + 500));
    assertFalse(bucket.tryTake(T0 + 500));
    assertTrue(bucket.tryTake(T0 + 1000));
  }

  @Test
  void savingsAreCappedAtTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 2, T0);
    bucket.tryTake(T0);
    bucket.tryTake(T0);
    long later = T0 + 3_600_000; // an hour idle saves 2, not 36000
    assertTrue(bucket.tryTake(later));
    assertTrue(bucket.tryTake(later));
    assertFalse(bucket.tryTake(later));
  }

  @Test
  void nextTokenAtIsNowWhenATokenIsThere() {
    TokenBucket bucket = new TokenBucket(1, 1, T0);
    assertEquals(T0, bucket.nextTokenAt(T0));
  }

  @Test
  void nextTokenAtIsWhenTheTokenWillHaveRefilled() {
    TokenBucket bucket = new TokenBucket(1, 3, T0);
    for (int i = 0; i < 3; i++) {
      assertTrue(bucket.tryTake(T0));
    }
    assertEquals(T0 + 1000, bucket.nextTokenAt(T0));
    assertEquals(T0 + 1000, bucket.nextTokenAt(T0 + 400));
    assertFalse(bucket.tryTake(T0 + 999));
    assertTrue(bucket.tryTake(T0 + 1000));
  }

  @Test
  void nextTokenAtRoundsUpToTheMillisecond() {
    TokenBucket bucket = new TokenBucket(3, 1, T0); // a token every 333.33 ms
    assertTrue(bucket.tryTake(T0));
    assertEquals(T0 + 334, bucket.nextTokenAt(T0));
    assertFalse(bucket.tryTake(T0 + 333));
    assertTrue(bucket.tryTake(T0 + 334));
  }

  @Test
  void slowRatesWaitLong() {
    TokenBucket bucket = new TokenBucket(0.001, 1, T0); // one a thousand seconds
    assertTrue(bucket.tryTake(T0));
    assertEquals(T0 + 1_000_000, bucket.nextTokenAt(T0));
  }

  @Test
  void clockGoingBackwardsNeitherAddsNorRemovesTokens() {
    TokenBucket bucket = new TokenBucket(1, 1, T0);
    assertTrue(bucket.tryTake(T0));
    assertFalse(bucket.tryTake(T0 - 10_000));
    assertTrue(bucket.tryTake(T0 + 1000));
  }

  @Test
  void takingAtTheRateNeverRunsDry() {
    TokenBucket bucket = new TokenBucket(5, 1, T0);
    for (int i = 0; i < 1000; i++) {
      long now = T0 + i * 200L;
      assertEquals(now, bucket.nextTokenAt(now));
      assertTrue(bucket.tryTake(now), "take " + i);
    }
  }
}
