package dev.hookgate;

import dev.hookgate.config.GatewayConfig;
import dev.hookgate.delivery.DeliveryVerticle;
import dev.hookgate.http.HttpVerticle;
import dev.hookgate.job.JobDispatcher;
import dev.hookgate.job.JobVerticle;
import dev.hookgate.job.Interruption;
import dev.hookgate.job.ScheduleVerticle;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.NewDelivery;
import dev.hookgate.store.SqlStore;
import dev.hookgate.store.StoreStats;
import dev.hookgate.store.Store;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.ops.HttpMetricLabels;
import java.util.concurrent.atomic.AtomicBoolean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: opens the store, recovers what a crash left in flight, deploys the verticles
 * in order (delivery, jobs, then HTTP last so that nothing is accepted before it can be handled).
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final Services services;
  private final int port;

  private final List<String> deployments;

  private Gateway(Vertx vertx, Services services, int port, List<String> deployments) {
    this.vertx = vertx;
    this.services = services;
    this.port = port;
    this.deployments = deployments;
  }

  /**
   * A Vert.x instance whose own metrics (HTTP server, event bus, pools) land in the gateway's
   * registry. Its HTTP client metrics are off: a meter looked up per outbound request cost a few per
   * cent of a command's CPU, and the gateway's own delivery metrics count every post by outcome.
   */
  public static Vertx newVertx(GatewayMetrics metrics) {
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(HttpMetricLabels.apply(new MicrometerMetricsOptions().setEnabled(true)
            .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.HTTP_CLIENT)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)))))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .build();
  }

  public static Future<Gateway> start(Vertx vertx, GatewayMetrics metrics, GatewayConfig config, Clock clock) {
    String nodeId = UUID.randomUUID().toString();
    SqlStore store = switch (config.store().kind()) {
      case "postgres" -> SqlStore.postgres(vertx, config.store().postgresUri(), nodeId, clock, config.store().lease(),
          config.store().postgresWriters());
      default -> SqlStore.sqlite(vertx, Path.of(config.store().path()), config.store().sqliteSynchronous(), nodeId);
    };
    registerStoreMetrics(metrics, store.stats());
    metrics.declare(config); // every configured command, hook and destination has its series from the start
    Services services = Services.of(vertx, new AtomicReference<>(config), store, clock, nodeId, metrics);
    List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
    return store.open()
        .compose(v -> store.recover(clock.millis(), rerunAfterCrash(config),
            job -> interruptedNotice(config, job, clock.millis())))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("recovered {} job(s) that were running when the gateway stopped", n);
          }
        })
        .compose(v -> vertx.deployVerticle(new DeliveryVerticle(services))).onSuccess(deployments::add)
        .compose(v -> vertx.deployVerticle(() -> new JobVerticle(services), new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setInstances(config.jobs().workerInstances())
            .setWorkerPoolName("hookgate-jobs")
            .setWorkerPoolSize(config.jobs().workerPoolSize()))).onSuccess(deployments::add)
        .compose(v -> vertx.deployVerticle(new JobDispatcher(services))).onSuccess(deployments::add)
        .compose(v -> vertx.deployVerticle(new ScheduleVerticle(services))).onSuccess(deployments::add)
        .compose(v -> deployHttp(vertx, services, config.http().port(), deployments))
        .map(port -> {
          if (store.shared()) {
            recoverPeriodically(vertx, services, config, clock);
          }
          purgePeriodically(vertx, services);
          services.ready().set(true);
          LOG.info("hookgate {} listening on {}:{} ({} command(s), {} hook(s), {} destination(s))",
              dev.hookgate.ops.BuildInfo.version(), config.http().host(), port, config.commands().size(), config.hooks().size(),
              config.destinations().size());
          return new Gateway(vertx, services, port, deployments);
        });
  }

  /** What the store did: operations by name and transactions (group commits), counted as they commit. */
  private static void registerStoreMetrics(GatewayMetrics metrics, StoreStats stats) {
    for (String op : StoreStats.WRITES) {
      io.micrometer.core.instrument.FunctionCounter.builder("hookgate.store.operations", stats, s -> s.operations(op))
          .description("Store write operations committed, by operation").tag("operation", op)
          .register(metrics.registry());
    }
    io.micrometer.core.instrument.FunctionCounter.builder("hookgate.store.transactions", stats, StoreStats::transactions)
        .description("Store transactions committed (each a group of operations, one flush)")
        .register(metrics.registry());
    io.micrometer.core.instrument.FunctionCounter.builder("hookgate.store.failed.operations", stats,
            StoreStats::failedOperations)
        .description("Store write operations that failed and were not committed").register(metrics.registry());
  }

  /**
   * One HTTP verticle per core (at most 2), sharing one server. Port 0 asks for a free port:
   * Vert.x's negative port shares one random port among the instances.
   */
  private static Future<Integer> deployHttp(Vertx vertx, Services services, int port, List<String> deployments) {
    int instances = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    int listenPort = port == 0 ? -1 : port;
    List<HttpVerticle> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      HttpVerticle v = new HttpVerticle(services, listenPort);
      verticles.add(v);
      return v;
    }, new DeploymentOptions().setInstances(instances)).map(id -> {
      deployments.add(id);
      return verticles.get(0).actualPort();
    });
  }

  /**
   * Retention: shortly after the start, then every hour, forgets delivered messages and finished
   * jobs older than {@code store.retention} (zero: never). Dead letters and live work are kept.
   */
  private static void purgePeriodically(Vertx vertx, Services services) {
    io.vertx.core.Handler<Long> purge = id -> {
      long retention = services.config().store().retention().toMillis();
      if (retention <= 0 || !services.ready().get()) {
        return;
      }
      services.store().purgeFinished(services.now() - retention)
          .onSuccess(n -> {
            if (n > 0) {
              LOG.info("retention: forgot {} delivered message(s) and finished job(s)", n);
            }
          })
          .onFailure(e -> LOG.warn("retention purge failed: {}", e.getMessage()));
    };
    vertx.setTimer(60_000, purge);
    vertx.setPeriodic(3_600_000, purge);
  }

  /**
   * Several nodes: every half lease, takes over what a node that stopped (its heartbeat and leases
   * expired) left running or queued for its replies. A live node renews both, so its work is never
   * taken while it runs.
   */
  private static void recoverPeriodically(Vertx vertx, Services services, GatewayConfig startConfig, Clock clock) {
    AtomicBoolean running = new AtomicBoolean();
    long every = Math.max(500, startConfig.store().lease().toMillis() / 2);
    vertx.setPeriodic(every, every, id -> {
      if (!services.ready().get() || !running.compareAndSet(false, true)) {
        return;
      }
      GatewayConfig config = services.config();
      services.store().recover(clock.millis(), rerunAfterCrash(config), job -> interruptedNotice(config, job, clock.millis()))
          .onComplete(r -> {
            running.set(false);
            if (r.failed()) {
              LOG.warn("taking over the work of stopped nodes failed: {}", r.cause().getMessage());
            } else if (r.result() > 0) {
              LOG.info("took over {} job(s) of a node that stopped", r.result()); // the store wakes the dispatcher
            }
          });
    });
  }

  private static java.util.function.Function<String, Boolean> rerunAfterCrash(GatewayConfig config) {
    return command -> Interruption.rerun(config, command);
  }

  private static List<NewDelivery> interruptedNotice(GatewayConfig config, JobRecord job, long now) {
    return Interruption.notice(config, job, now);
  }

  public int port() {
    return port;
  }

  public Services services() {
    return services;
  }

  /** Stops the verticles, then the store, then Vert.x. */
  public Future<Void> close() {
    services.ready().set(false);
    Future<Void> undeployed = Future.succeededFuture();
    List<String> ids = new java.util.ArrayList<>(deployments);
    java.util.Collections.reverse(ids); // HTTP first: stop accepting before stopping the workers
    for (String id : ids) {
      undeployed = undeployed.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    return undeployed
        .compose(v -> services.store().close())
        .eventually(() -> vertx.close());
  }
}
