package dev.hookgate;

import dev.hookgate.config.ConfigException;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.ConfigReloader;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.ops.LogFormat;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar hookgate.jar [--config FILE] [--check-config [FILE]]}.
 * Exit codes: 0 ok, 1 failed to start, 2 bad usage, 3 invalid config.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** How often the config file is checked for changes (hot reload). */
  private static final long RELOAD_SCAN_MS = 1000;

  private Main() {}

  public static void main(String[] args) throws Exception {
    Optional<String> configFile = Optional.empty();
    boolean checkOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            usage("--config needs a file");
          }
          configFile = Optional.of(args[++i]);
        }
        case "--check-config" -> {
          checkOnly = true;
          if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            configFile = Optional.of(args[++i]);
          }
        }
        case "--help", "-h" -> {
          System.out.println("usage: java -jar hookgate.jar [--config FILE] [--check-config [FILE]]");
          return;
        }
        default -> usage("unknown argument " + args[i]);
      }
    }
    String path = ConfigLoader.choosePath(configFile);
    GatewayMetrics metrics = GatewayMetrics.create();
    Vertx vertx = Gateway.newVertx(metrics);
    GatewayConfig config;
    try {
      config = ConfigLoader.load(vertx, path, System.getenv()).await(30, TimeUnit.SECONDS);
    } catch (ConfigException e) {
      e.problems().forEach(p -> System.err.println(path + ": " + p));
      vertx.close().await(10, TimeUnit.SECONDS);
      System.exit(3);
      return;
    }
    if (checkOnly) {
      System.out.println(path + ": valid (" + config.commands().size() + " command(s), " + config.hooks().size()
          + " hook(s), " + config.destinations().size() + " destination(s))");
      vertx.close().await(10, TimeUnit.SECONDS);
      return;
    }
    if (config.log().json()) {
      LogFormat.useJson();
    }
    LOG.info("config {} loaded", path);
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, metrics, config, Clock.systemUTC()).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("hookgate failed to start: {}", e.getMessage());
      vertx.close().await(10, TimeUnit.SECONDS);
      System.exit(1);
      return;
    }
    if (java.nio.file.Files.isRegularFile(java.nio.file.Path.of(path))) {
      ConfigReloader.start(vertx, path, System.getenv(), gateway.services().configRef(), RELOAD_SCAN_MS);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      try {
        gateway.close().await(config.shutdown().grace().toSeconds() + 30, TimeUnit.SECONDS);
        LOG.info("stopped");
      } catch (Exception e) {
        LOG.warn("unclean stop: {}", e.getMessage());
      }
    }, "hookgate-shutdown"));
  }

  private static void usage(String problem) {
    System.err.println(problem + "\nusage: java -jar hookgate.jar [--config FILE] [--check-config [FILE]]");
    System.exit(2);
  }
}
