package dev.hookgate.e2e;

import static dev.hookgate.e2e.FakeChatServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar's SQLite store on a 2 MiB tmpfs, flooded until the disk is full, then given room:
 * producers get 503 while the disk is full and 200 again within seconds, without a restart; every
 * message answered 200 reaches the chat server exactly once, and none answered 503 does. The log
 * says it in a few lines, not two per request.
 */
class DiskFullIT {
  static final String KEY = "diskfullkey0123456789abcdef";

  @TempDir Path dir;

  @Test
  void aFullDiskRefusesWithoutStoringAndTheGatewayRecoversWhenItHasRoom() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
    Path mount = Files.createDirectory(dir.resolve("state"));
    run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
    try (FakeChatServer chat = FakeChatServer.start()) {
      chat.failFor(Long.MAX_VALUE / 4, 503); // the chat server is down: everything accepted stays queued
      Path config = dir.resolve("hookgate.yaml");
      Files.writeString(config, """
          store: {path: %s/hookgate.db}
          delivery: {backoff: [1s], max-attempts: 10000}
          destinations:
            ops: {url: "%s", rate-per-second: 1000, burst: 100}
          hooks:
            alerts: {key: %s, destination: ops}
          """.formatted(mount, chat.incomingHookUrl("opsid"), KEY));
      try (GatewayProcess gw = GatewayProcess.start(dir, config, Map.of())) {
        Set<String> accepted = Collections.synchronizedSet(new HashSet<>());
        Set<String> refused = Collections.synchronizedSet(new HashSet<>());
        String filler = "x".repeat(1500);
        int sent = flood(gw, 0, 4_000, filler, accepted, refused, () -> refused.size() >= 300);
        assertFalse(refused.isEmpty(), "the disk never filled");
        assertEquals(503, post(gw, "probe while full " + filler), "still refused while the disk is full");

        run("mount", "-o", "remount,size=64m", "tmpfs", mount.toString());
        await("the gateway accepting again without a restart", 15_000, () -> {
          try {
            String line = "after " + System.nanoTime();
            int status = post(gw, line);
            (status == 200 ? accepted : refused).add(line);
            return status == 200;
          } catch (Exception e) {
            return false;
          }
        });
        flood(gw, sent, 200, "", accepted, refused, () -> false);

        chat.failFor(0, 503);
        await("every accepted message delivered", 120_000, () -> lines(chat).containsAll(accepted));
        List<String> received = lines(chat);
        Map<String, Integer> counts = new HashMap<>();
        received.forEach(l -> counts.merge(l, 1, Integer::sum));
        List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), twice, "delivered twice");
        Set<String> refusedButDelivered = new HashSet<>(refused);
        refusedButDelivered.retainAll(counts.keySet());
        assertEquals(Set.of(), refusedButDelivered, "answered 503 yet stored and delivered");
        long storeErrorLines = gw.output().lines().filter(l -> l.contains("ERROR")).count();
        assertTrue(storeErrorLines < 20, storeErrorLines + " ERROR lines for " + refused.size() + " refusals");
      }
    } finally {
      run("umount", "-l", mount.toString());
    }
  }

  private static int flood(GatewayProcess gw, int from, int count, String filler, Set<String> accepted,
      Set<String> refused, java.util.function.BooleanSupplier enough) throws Exception {
    ExecutorService producers = Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<?>> all = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String line = "m" + i + " " + filler;
      all.add(producers.submit(() -> {
        if (enough.getAsBoolean()) {
          return null;
        }
        int status = post(gw, line);
        if (status == 200) {
          accepted.add(line);
        } else if (status == 503) {
          refused.add(line);
        } else {
          throw new AssertionError("unexpected status " + status);
        }
        return null;
      }));
    }
    producers.shutdown();
    assertTrue(producers.awaitTermination(120, TimeUnit.SECONDS));
    for (java.util.concurrent.Future<?> f : all) {
      f.get();
    }
    return from + count;
  }

  private static int post(GatewayProcess gw, String line) throws Exception {
    return gw.postJson("/hooks/" + KEY, new JsonObject().put("text", line).encode()).statusCode();
  }

  private static List<String> lines(FakeChatServer chat) {
    List<String> out = new ArrayList<>();
    chat.posts().forEach(p -> {
      if (p.path().contains("opsid")) {
        out.addAll(List.of(p.text().split("\n")));
      }
    });
    return out;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + " failed");
  }
}
