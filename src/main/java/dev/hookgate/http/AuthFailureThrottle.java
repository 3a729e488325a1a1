package dev.hookgate.http;

import io.vertx.core.net.SocketAddress;
import io.vertx.core.shareddata.Shareable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts authentication failures per client address in fixed one-minute windows: the window opens
 * at an address's first failure; once it holds {@code limit} failures, the address is refused
 * until the window closes. Thread-safe (every HTTP verticle instance shares one), and bounded:
 * at most {@code maxAddresses} windows are kept — expired ones are dropped first, then the oldest —
 * so a flood of addresses cannot grow it without limit. IPv6 clients are counted per /64, the
 * block one subscriber usually holds.
 */
public final class AuthFailureThrottle implements Shareable {
  public static final long WINDOW_MS = 60_000;
  public static final int DEFAULT_MAX_ADDRESSES = 10_000;

  private record Window(long start, int failures) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final int maxAddresses;
  private final LongSupplier clock;

  public AuthFailureThrottle(int maxAddresses, LongSupplier clock) {
    this.maxAddresses = maxAddresses;
    this.clock = clock;
  }

  /** Milliseconds {@code address} must still wait, 0 when it may be served. {@code limit} 0: never. */
  public long blockedForMs(String address, int limit) {
    if (limit <= 0 || address == null) {
      return 0;
    }
    Window w = windows.get(address);
    if (w == null) {
      return 0;
    }
    long left = w.start() + WINDOW_MS - clock.getAsLong();
    if (left <= 0) {
      windows.remove(address, w);
      return 0;
    }
    return w.failures() >= limit ? left : 0;
  }

  /** Records one failure of {@code address}. */
  public void failure(String address, int limit) {
    if (limit <= 0 || address == null) {
      return;
    }
    long now = clock.getAsLong();
    if (!windows.containsKey(address) && windows.size() >= maxAddresses) {
      makeRoom(now);
    }
    windows.compute(address, (k, w) -> w == null || w.start() + WINDOW_MS <= now ? new Window(now, 1)
        : new Window(w.start(), w.failures() == Integer.MAX_VALUE ? w.failures() : w.failures() + 1));
  }

  /** How many addresses are tracked (for tests). */
  public int size() {
    return windows.size();
  }

  private void makeRoom(long now) {
    windows.values().removeIf(w -> w.start() + WINDOW_MS <= now);
    while (windows.size() >= maxAddresses) {
      String oldest = null;
      long oldestStart = Long.MAX_VALUE;
      for (Map.Entry<String, Window> e : windows.entrySet()) {
        if (e.getValue().start() < oldestStart) {
          oldestStart = e.getValue().start();
          oldest = e.getKey();
        }
      }
      if (oldest == null) {
        return;
      }
      windows.remove(oldest);
    }
  }

  /** The key of a client: its IPv4 address, or the /64 prefix of its IPv6 address. */
  public static String key(SocketAddress remote) {
    if (remote == null) {
      return null;
    }
    String host = remote.hostAddress();
    if (host == null || host.isEmpty()) {
      return remote.path() != null ? "unix:" + remote.path() : null;
    }
    if (host.indexOf(':') < 0) {
      return host;
    }
    try {
      InetAddress a = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
      if (a instanceof Inet6Address) {
        byte[] b = a.getAddress();
        StringBuilder sb = new StringBuilder("v6:");
        for (int i = 0; i < 8; i++) {
          sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.append("::/64").toString();
      }
      return a.getHostAddress();
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
