package dev.hookgate;

import dev.hookgate.config.ConfigException;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.BuildInfo;
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
 * {@code java -jar hookgate.jar [--config FILE] [--check-config [FILE]] [--help] [--version]}.
 * Exit codes: 0 ok, 1 failed to start, 2 bad usage, 3 invalid config.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** How often the config file is checked for changes (hot reload; applied once unchanged for 2 s). */
  private static final long RELOAD_SCAN_MS = 500;

  static final String USAGE = "usage: java -jar hookgate.jar [--config FILE] [--check-config [FILE]] [--help] [--version]";

  static final String HELP = USAGE + """


      hookgate: slash-command gateway and incoming-webhook relay for Mattermost and Slack.

      options:
        --config FILE          run with this YAML config (default: ./conf/hookgate.yaml, else the copy in the jar)
        --check-config [FILE]  validate the config and exit: 0 if valid, 3 with one line per problem
        --help, -h             print this help and exit
        --version, -V          print the version and exit

      exit codes:
        0  ok (stopped by SIGTERM after a clean stop, or --check-config/--help/--version)
        1  failed to start (port taken, store unreadable)
        2  bad arguments
        3  invalid config

      environment:
        HOOKGATE_<KEY>     overrides any config key (upper case, '.' and '-' become '_'),
                           e.g. HOOKGATE_HTTP_PORT=9090, HOOKGATE_SECURITY_AUTH_FAILURES_PER_MINUTE=0
        HOOKGATE_LOG_LEVEL log level (INFO by default)

      config reference: README.md of the hookgate sources, section "Configuration" (every key, its default
      and what it does), and the commented default config conf/hookgate.yaml (a copy is inside the jar).
      """;

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
          System.out.print(HELP);
          return;
        }
        case "--version", "-V" -> {
          System.out.println("hookgate " + BuildInfo.version());
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
    LOG.info("hookgate {} starting (Java {}, pid {}), config {} loaded", BuildInfo.version(),
        Runtime.version().feature(), ProcessHandle.current().pid(), path);
    metrics.declare(config);
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, metrics, config, Clock.systemUTC()).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("hookgate failed to start: {}", e.getMessage());
      vertx.close().await(10, TimeUnit.SECONDS);
      System.exit(1);
      return;
    }
    metrics.bindJvmAndProcess(); // once listening: the first requests do not wait for the JVM's meters
    ConfigReloader reloader = java.nio.file.Files.isRegularFile(java.nio.file.Path.of(path))
        ? ConfigReloader.start(vertx, path, System.getenv(), gateway.services().configRef(), RELOAD_SCAN_MS,
            metrics::declare)
        : null;
    GracefulStop stop = new GracefulStop(() -> {
      if (reloader != null) {
        reloader.stop();
      }
      return gateway.close();
    }, () -> gateway.services().config().shutdown().grace().toSeconds() + 30);
    stop.onSignals();
  }

  private static void usage(String problem) {
    System.err.println(problem + "\n" + USAGE + "\n(--help for more)");
    System.exit(2);
  }
}
