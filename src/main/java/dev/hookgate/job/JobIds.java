package dev.hookgate.job;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Job ids as UUIDv7 (RFC 9562): the first 48 bits are the creation time in milliseconds, so ids
 * sort by age and new rows land at the end of the store's index instead of on a random page. A
 * counter in the 12 "rand_a" bits keeps ids from one process strictly increasing.
 */
public final class JobIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static long lastMillis;
  private static int counter;

  private JobIds() {}

  public static synchronized String next(long nowMillis) {
    if (nowMillis > lastMillis) {
      lastMillis = nowMillis;
      counter = RANDOM.nextInt(1 << 8); // leave room to count up within the millisecond
    } else if (++counter >= 1 << 12) {
      lastMillis++; // more than 4096 ids in a millisecond: borrow the next one
      counter = 0;
    }
    long msb = (lastMillis << 16) | (0x7L << 12) | counter;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
