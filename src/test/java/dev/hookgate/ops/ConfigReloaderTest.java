package dev.hookgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.config.ConfigParser;
import dev.hookgate.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigReloaderTest {
  static final String RUNNING = """
      destinations: {ops: {url: "https://team.example.org/hooks/x"}}
      hooks: {alerts: {key: alerts-hook-key-0123, destination: ops}}
      """;

  @TempDir Path dir;

  static GatewayConfig parse(String yaml) {
    return ConfigParser.parse(new JsonObject(new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(yaml)));
  }

  @Test
  void aConfigWithNothingLeftIsRefusedOverOneWithSomething() {
    GatewayConfig running = parse(RUNNING);
    GatewayConfig empty = ConfigParser.parse(new JsonObject());
    assertTrue(ConfigReloader.refusal(running, empty).isPresent());
    assertFalse(ConfigReloader.refusal(empty, empty).isPresent(), "nothing before, nothing after: no loss");
    assertFalse(ConfigReloader.refusal(running, parse("destinations: {ops: {url: \"https://a.example.org/h\"}}"))
        .isPresent(), "removing the hook only is a change like any other");
  }

  @Test
  void startBoundSettingsAreNamed() {
    GatewayConfig a = parse(RUNNING);
    assertEquals(List.of(), ConfigReloader.boundAtStart(a, a));
    assertEquals(List.of("security.auth-failures-per-minute"),
        ConfigReloader.boundAtStart(a, parse(RUNNING + "security: {auth-failures-per-minute: 0}\n")));
    assertEquals(List.of("http", "store", "jobs", "log", "delivery.connect-timeout"), ConfigReloader.boundAtStart(a,
        parse(RUNNING + "http: {port: 1}\nstore: {path: x.db}\njobs: {worker-instances: 1}\nlog: {format: json}\n"
            + "delivery: {connect-timeout: 1s}\n")));
  }

  @Test
  void anEmptiedFileLeavesTheRunningConfig(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = Files.writeString(dir.resolve("hookgate.yaml"), RUNNING);
    AtomicReference<GatewayConfig> current = new AtomicReference<>(parse(RUNNING));
    GatewayConfig before = current.get();
    Files.writeString(file, "");
    ConfigReloader reloader = ConfigReloader.start(vertx, file.toString(), Map.of(), current, 60_000);
    reloader.reload("test").onComplete(ctx.succeeding(applied -> ctx.verify(() -> {
      assertFalse(applied);
      assertEquals(before, current.get());
      ctx.completeNow();
    })));
  }

  @Test
  void anEditPuttingAnExampleSecretOnANonLoopbackGatewayIsRefused(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = Files.writeString(dir.resolve("hookgate.yaml"), RUNNING);
    AtomicReference<GatewayConfig> current = new AtomicReference<>(parse(RUNNING)); // http.host 0.0.0.0
    GatewayConfig before = current.get();
    Files.writeString(file, RUNNING.replace("alerts-hook-key-0123", "change-me-alerts-hook-key"));
    ConfigReloader reloader = ConfigReloader.start(vertx, file.toString(), Map.of(), current, 60_000);
    reloader.reload("test").onComplete(ctx.succeeding(applied -> ctx.verify(() -> {
      assertFalse(applied);
      assertEquals(before, current.get());
      ctx.completeNow();
    })));
  }

  /** Polls until {@code condition} holds, failing after 10 s. */
  static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /**
   * A two-step writer: the file cut inside the first destination's URL (valid YAML: one destination,
   * nothing else), then the whole file. The cut file is never applied, however many scans see it
   * within the settle period; the whole file is, once it has stayed the same for 2 s.
   */
  @Test
  void aHalfWrittenFileIsNeverApplied(Vertx vertx) throws Exception {
    String whole = """
        destinations:
          ops:
            url: "https://team.example.org/hooks/abcdefghij"
          pager: {url: "https://team.example.org/hooks/pager"}
        hooks: {alerts: {key: alerts-hook-key-0123, destination: ops}, page: {key: page-hook-key-01234, destination: pager}}
        """;
    Path file = Files.writeString(dir.resolve("hookgate.yaml"), RUNNING);
    AtomicReference<GatewayConfig> current = new AtomicReference<>(parse(RUNNING));
    List<GatewayConfig> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    ConfigReloader reloader = ConfigReloader.start(vertx, file.toString(), Map.of(), current, 10, told::add, now::get);

    Files.writeString(file, whole.substring(0, whole.indexOf("example.org/hooks/abc")));
    await("the cut file seen", reloader::pending);
    now.addAndGet(ConfigReloader.SETTLE_MS - 1);
    long scans = reloader.scans.get();
    await("more scans", () -> reloader.scans.get() >= scans + 3);
    assertEquals(List.of(), told, "nothing applied within the settle period");

    Files.writeString(file, whole);
    await("the whole file applied", () -> {
      now.addAndGet(100);
      return !told.isEmpty();
    });
    assertEquals(1, told.size(), "only the whole file was applied");
    assertEquals(java.util.Set.of("ops", "pager"), current.get().destinations().keySet());
    assertEquals("https://team.example.org/hooks/abcdefghij", current.get().destinations().get("ops").url());
  }

  @Test
  void aValidEditIsAppliedAndReported(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = Files.writeString(dir.resolve("hookgate.yaml"), RUNNING);
    AtomicReference<GatewayConfig> current = new AtomicReference<>(parse(RUNNING));
    AtomicReference<GatewayConfig> told = new AtomicReference<>();
    Files.writeString(file, RUNNING.replace("alerts:", "pager:"));
    ConfigReloader reloader = ConfigReloader.start(vertx, file.toString(), Map.of(), current, 60_000, told::set);
    reloader.reload("test").onComplete(ctx.succeeding(applied -> ctx.verify(() -> {
      assertTrue(applied);
      assertEquals(java.util.Set.of("pager"), current.get().hooks().keySet());
      assertEquals(current.get(), told.get());
      ctx.completeNow();
    })));
  }
}
