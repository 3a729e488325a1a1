package dev.hookgate;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop on SIGTERM or SIGINT: runs the gateway's graceful close once, then exits 0 if it was clean
 * (1 if not), instead of the JVM's 143/130 for a signal. A JVM exit for another reason still runs the
 * same close, from a shutdown hook.
 */
final class GracefulStop {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

  private final Supplier<Future<Void>> close;
  private final LongSupplier timeoutSeconds;
  private Boolean clean;

  GracefulStop(Supplier<Future<Void>> close, LongSupplier timeoutSeconds) {
    this.close = close;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Installs the signal handlers and the shutdown hook. */
  void onSignals() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::run, "hookgate-shutdown-hook"));
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name),
            sig -> new Thread(() -> System.exit(run() ? 0 : 1), "hookgate-shutdown").start());
      } catch (IllegalArgumentException e) {
        LOG.debug("SIG{} cannot be handled here: the JVM's default applies", name);
      }
    }
  }

  /** Closes the gateway the first time; later calls wait for that first close and give its outcome. */
  synchronized boolean run() {
    if (clean == null) {
      LOG.info("stopping");
      try {
        close.get().await(timeoutSeconds.getAsLong(), TimeUnit.SECONDS);
        LOG.info("stopped");
        clean = true;
      } catch (Exception e) {
        LOG.warn("unclean stop: {}", e.getMessage());
        clean = false;
      }
    }
    return clean;
  }
}
