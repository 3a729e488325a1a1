package dev.hookgate.ops;

import dev.hookgate.config.ConfigException;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: when the config file changes (checked every {@code scanMs}) or on SIGHUP, the file
 * is loaded and validated again; a valid config replaces the running one at once (commands,
 * hooks, destinations, reply and retry settings), queued work untouched. An invalid one is refused,
 * one log line per problem, and the running config stays. Settings bound at start (http, store,
 * jobs) are kept and reported as needing a restart.
 */
public final class ConfigReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  private final Vertx vertx;
  private final String path;
  private final Map<String, String> env;
  private final AtomicReference<GatewayConfig> current;
  private FileTime lastSeen;
  private final java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean();

  private ConfigReloader(Vertx vertx, String path, Map<String, String> env, AtomicReference<GatewayConfig> current) {
    this.vertx = vertx;
    this.path = path;
    this.env = env;
    this.current = current;
    this.lastSeen = modified();
  }

  /** Watches {@code path} (a file on disk) and listens for SIGHUP. */
  public static ConfigReloader start(Vertx vertx, String path, Map<String, String> env,
      AtomicReference<GatewayConfig> current, long scanMs) {
    ConfigReloader reloader = new ConfigReloader(vertx, path, env, current);
    vertx.setPeriodic(scanMs, id -> {
      FileTime seen = reloader.modified();
      if (!Objects.equals(seen, reloader.lastSeen)) {
        reloader.lastSeen = seen;
        reloader.reload("file changed");
      }
    });
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> vertx.runOnContext(v -> reloader.reload("SIGHUP")));
    } catch (IllegalArgumentException e) {
      LOG.info("SIGHUP is not available here; the config file is still watched");
    }
    return reloader;
  }

  /** Loads, validates and applies the file; the future holds whether it was applied. */
  public Future<Boolean> reload(String why) {
    if (!loading.compareAndSet(false, true)) {
      return Future.succeededFuture(false);
    }
    return ConfigLoader.load(vertx, path, env).map(next -> {
      GatewayConfig previous = current.get();
      List<String> restart = boundAtStart(previous, next);
      current.set(next.reloadedOver(previous));
      LOG.info("config reloaded ({}): {} command(s), {} hook(s), {} destination(s)", why, next.commands().size(),
          next.hooks().size(), next.destinations().size());
      restart.forEach(key -> LOG.warn("config reload: {} changed; it takes effect at the next restart", key));
      return true;
    }).recover(e -> {
      if (e instanceof ConfigException ce) {
        ce.problems().forEach(p -> LOG.error("config reload refused ({}), the running config stays: {}", why, p));
      } else {
        LOG.error("config reload refused ({}), the running config stays: {}", why, e.getMessage());
      }
      return Future.succeededFuture(false);
    }).onComplete(r -> loading.set(false));
  }

  private static List<String> boundAtStart(GatewayConfig a, GatewayConfig b) {
    List<String> keys = new ArrayList<>();
    if (!a.http().equals(b.http())) {
      keys.add("http");
    }
    if (!a.store().equals(b.store())) {
      keys.add("store");
    }
    if (!a.jobs().equals(b.jobs())) {
      keys.add("jobs");
    }
    if (!a.delivery().connectTimeout().equals(b.delivery().connectTimeout())) {
      keys.add("delivery.connect-timeout");
    }
    return keys;
  }

  private FileTime modified() {
    try {
      return Files.getLastModifiedTime(Path.of(path));
    } catch (IOException e) {
      return null;
    }
  }
}
