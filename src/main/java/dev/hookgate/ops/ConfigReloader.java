package dev.hookgate.ops;

import dev.hookgate.config.ConfigException;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: when the config file changes (checked every {@code scanMs}) and has then stayed the
 * same for 2 s ({@link FileSettle}: a half-written file is never read), or at once on SIGHUP, the file
 * is read whole and validated again, off the event loop (validation reads the TLS files); a valid
 * config replaces the running one at once (commands, hooks, destinations, reply and retry settings),
 * queued work untouched. An invalid one is refused in one log line naming every problem, and the
 * running config stays; so is a file that could not be read whole (changed while read) and one that would remove
 * every command, hook, destination and schedule (an empty or truncated file, as editors and config
 * tools leave for a moment when they write in place). Settings bound at start are kept and reported
 * as needing a restart.
 */
public final class ConfigReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);
  /** A changed file is read once it has stayed the same this long (SIGHUP reads it at once). */
  static final long SETTLE_MS = 2000;

  private final Vertx vertx;
  private final String path;
  private final Map<String, String> env;
  private final AtomicReference<GatewayConfig> current;
  private final Consumer<GatewayConfig> applied;
  private final AtomicBoolean loading = new AtomicBoolean();
  private final FileSettle settle;
  private long timer = -1;
  /** Scans of the file so far (a test's probe). */
  final java.util.concurrent.atomic.AtomicLong scans = new java.util.concurrent.atomic.AtomicLong();

  private ConfigReloader(Vertx vertx, String path, Map<String, String> env, AtomicReference<GatewayConfig> current,
      Consumer<GatewayConfig> applied) {
    this.vertx = vertx;
    this.path = path;
    this.env = env;
    this.current = current;
    this.applied = applied;
    this.settle = new FileSettle(stamp(), SETTLE_MS);
  }

  /** Watches {@code path} (a file on disk) and listens for SIGHUP. */
  public static ConfigReloader start(Vertx vertx, String path, Map<String, String> env,
      AtomicReference<GatewayConfig> current, long scanMs) {
    return start(vertx, path, env, current, scanMs, c -> { });
  }

  /** As above; {@code applied} is told each config that replaced the running one. */
  public static ConfigReloader start(Vertx vertx, String path, Map<String, String> env,
      AtomicReference<GatewayConfig> current, long scanMs, Consumer<GatewayConfig> applied) {
    return start(vertx, path, env, current, scanMs, applied, System::currentTimeMillis);
  }

  /** As above, with the clock that times the settle period. */
  static ConfigReloader start(Vertx vertx, String path, Map<String, String> env,
      AtomicReference<GatewayConfig> current, long scanMs, Consumer<GatewayConfig> applied, LongSupplier clock) {
    ConfigReloader reloader = new ConfigReloader(vertx, path, env, current, applied);
    reloader.timer = vertx.setPeriodic(scanMs, id -> vertx.executeBlocking(reloader::stamp, false).onSuccess(seen -> {
      reloader.scans.incrementAndGet();
      if (reloader.settle.scan(seen, clock.getAsLong())) {
        reloader.reload("file changed");
      }
    }));
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> vertx.runOnContext(v -> reloader.reload("SIGHUP")));
    } catch (IllegalArgumentException e) {
      LOG.info("SIGHUP is not available here; the config file is still watched");
    }
    return reloader;
  }

  /** Stops watching the file, before Vert.x closes (a scan started then would find its worker pool closed). */
  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Loads, validates and applies the file; the future holds whether it was applied. */
  public Future<Boolean> reload(String why) {
    if (!loading.compareAndSet(false, true)) {
      return Future.succeededFuture(false);
    }
    return ConfigLoader.load(vertx, path, env).map(next -> {
      GatewayConfig previous = current.get();
      refusal(previous, next).ifPresent(reason -> {
        throw new ConfigException(List.of(reason));
      });
      List<String> restart = boundAtStart(previous, next);
      GatewayConfig running = next.reloadedOver(previous);
      current.set(running);
      applied.accept(running);
      LOG.info("config reloaded ({}): {} command(s), {} hook(s), {} destination(s)", why, next.commands().size(),
          next.hooks().size(), next.destinations().size());
      restart.forEach(key -> LOG.warn("config reload: {} changed; it takes effect at the next restart", key));
      return true;
    }).recover(e -> {
      String reasons = e instanceof ConfigException ce ? String.join("; ", ce.problems()) : e.getMessage();
      LOG.error("config reload refused ({}), the running config stays: {}", why, reasons.replace('\n', ' '));
      return Future.succeededFuture(false);
    }).onComplete(r -> loading.set(false));
  }

  /** Why a valid {@code next} must still not replace {@code running}: it would remove everything. */
  static Optional<String> refusal(GatewayConfig running, GatewayConfig next) {
    boolean nothingNext = next.commands().isEmpty() && next.hooks().isEmpty() && next.destinations().isEmpty()
        && next.schedules().isEmpty();
    boolean somethingRunning = !running.commands().isEmpty() || !running.hooks().isEmpty()
        || !running.destinations().isEmpty() || !running.schedules().isEmpty();
    if (nothingNext && somethingRunning) {
      return Optional.of("the file defines no command, hook, destination or schedule (empty or cut short?); "
          + "a reload never removes everything: stop the gateway to run without them");
    }
    return Optional.empty();
  }

  /** The settings read once at start that differ: each takes effect at the next restart. */
  static List<String> boundAtStart(GatewayConfig a, GatewayConfig b) {
    List<String> keys = new ArrayList<>();
    if (!a.http().equals(b.http())) {
      keys.add(a.http().authFailuresPerMinute() != b.http().authFailuresPerMinute()
          && a.http().equals(withAuthFailures(b, a)) ? "security.auth-failures-per-minute" : "http");
    }
    if (!a.store().equals(b.store())) {
      keys.add("store");
    }
    if (!a.jobs().equals(b.jobs())) {
      keys.add("jobs");
    }
    if (!a.log().equals(b.log())) {
      keys.add("log");
    }
    if (!a.delivery().connectTimeout().equals(b.delivery().connectTimeout())) {
      keys.add("delivery.connect-timeout");
    }
    if (a.delivery().maxConnectionsPerHost() != b.delivery().maxConnectionsPerHost()) {
      keys.add("delivery.max-connections-per-host");
    }
    return keys;
  }

  private static dev.hookgate.config.HttpConfig withAuthFailures(GatewayConfig b, GatewayConfig a) {
    var h = b.http();
    return new dev.hookgate.config.HttpConfig(h.host(), h.port(), h.maxBodyBytes(), h.maxFormFields(),
        h.maxHeaderBytes(), h.idleTimeout(), h.requestTimeout(), h.tls(), a.http().authFailuresPerMinute());
  }

  /** A change was seen and has not settled yet (a test's probe). */
  boolean pending() {
    return settle.pending();
  }

  private FileSettle.Stamp stamp() {
    try {
      BasicFileAttributes a = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
      return new FileSettle.Stamp(a.lastModifiedTime(), a.size());
    } catch (IOException e) {
      return null;
    }
  }
}
