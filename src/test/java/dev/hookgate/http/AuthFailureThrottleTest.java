package dev.hookgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureThrottleTest {
  final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void blocksAfterTheLimitUntilTheMinuteHasPassed() {
    AuthFailureThrottle t = new AuthFailureThrottle(100, now::get);
    for (int i = 0; i < 2; i++) {
      t.failure("1.2.3.4", 3);
      assertEquals(0, t.blockedForMs("1.2.3.4", 3));
    }
    now.addAndGet(10_000);
    t.failure("1.2.3.4", 3);
    assertEquals(50_000, t.blockedForMs("1.2.3.4", 3), "the window opened at the first failure");
    assertEquals(0, t.blockedForMs("5.6.7.8", 3), "other addresses are served");
    now.addAndGet(49_999);
    assertEquals(1, t.blockedForMs("1.2.3.4", 3));
    now.addAndGet(1);
    assertEquals(0, t.blockedForMs("1.2.3.4", 3));
    t.failure("1.2.3.4", 3);
    assertEquals(0, t.blockedForMs("1.2.3.4", 3), "a new window counts from zero");
  }

  @Test
  void zeroDisablesIt() {
    AuthFailureThrottle t = new AuthFailureThrottle(100, now::get);
    for (int i = 0; i < 100; i++) {
      t.failure("1.2.3.4", 0);
    }
    assertEquals(0, t.blockedForMs("1.2.3.4", 0));
    assertEquals(0, t.size());
  }

  @Test
  void staysBoundedUnderAFloodOfAddresses() {
    AuthFailureThrottle t = new AuthFailureThrottle(1000, now::get);
    for (int i = 0; i < 50_000; i++) {
      t.failure("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 5);
      if (i % 100 == 0) {
        now.incrementAndGet();
      }
    }
    assertTrue(t.size() <= 1000, "size " + t.size());
  }

  @Test
  void ipv6ClientsAreCountedPerSlash64() {
    String a = AuthFailureThrottle.key(SocketAddress.inetSocketAddress(1234, "2001:db8:1:2:aaaa::1"));
    String b = AuthFailureThrottle.key(SocketAddress.inetSocketAddress(1234, "2001:db8:1:2:bbbb::9"));
    String c = AuthFailureThrottle.key(SocketAddress.inetSocketAddress(1234, "2001:db8:1:3::1"));
    assertEquals(a, b);
    assertTrue(!a.equals(c));
    assertEquals("192.0.2.7", AuthFailureThrottle.key(SocketAddress.inetSocketAddress(1, "192.0.2.7")));
  }

  @Test
  void hookKeysAreMaskedInLogPaths() {
    assertEquals("/hooks/abcd…", LogText.maskedPath("/hooks/abcdefghijklmnopqrst"));
    assertEquals("/hooks/…", LogText.maskedPath("/hooks/abc"));
    assertEquals("/commands/echo", LogText.maskedPath("/commands/echo"));
  }
}
