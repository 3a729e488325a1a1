package dev.hookgate.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.store.DeliveryState;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.JobState;
import dev.hookgate.store.NewJob;
import dev.hookgate.store.SqlStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job worker alone, on a real store: a job that comes back for another attempt. */
class JobVerticleTest {
  @TempDir Path dir;

  @Test
  void aJobThatComesBackIsNotReRunWhenItsCommandSaysSoAndTheUserIsTold() throws Exception {
    Vertx vertx = Vertx.vertx();
    SqlStore store = SqlStore.sqlite(vertx, dir.resolve("jobs.db"), "full", "node-test");
    try {
      store.open().await(10, TimeUnit.SECONDS);
      GatewayConfig config = ConfigLoader.resolve(new JsonObject("""
          {"security": {"allow-short-secrets": true},
           "commands": {"deploy": {"token": "t", "rerun-after-crash": false, "job": {"template": "deployed"}}}}
          """), Map.of());
      Services services = Services.of(vertx, new AtomicReference<>(config), store, Clock.systemUTC(),
          UUID.randomUUID().toString(), GatewayMetrics.create());
      vertx.deployVerticle(() -> new JobVerticle(services),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(10, TimeUnit.SECONDS);
      store.enqueueJob(new NewJob("j1", "deploy", Map.of("text", "prod"), "https://chat.example/hooks/commands/x",
          1_000), 10).await(10, TimeUnit.SECONDS);
      store.claimJobs(Map.of("deploy", 1), "node-gone", 1_000, 2_000).await(10, TimeUnit.SECONDS);
      // its node stopped renewing: the lease expired and another claim took it back, attempt 2
      JobRecord again = store.claimJobs(Map.of("deploy", 1), "node-b", 3_000, 33_000).await(10, TimeUnit.SECONDS).get(0);
      assertEquals(2, again.attempts());

      vertx.eventBus().request(Addresses.JOBS_RUN, again).await(10, TimeUnit.SECONDS);

      JobRecord after = store.job("j1").await(10, TimeUnit.SECONDS).orElseThrow();
      assertEquals(JobState.INTERRUPTED, after.state());
      var notices = store.deliveries(DeliveryState.PENDING, 10).await(10, TimeUnit.SECONDS);
      assertEquals(1, notices.size());
      assertTrue(notices.get(0).message().text().contains("is not re-run"), notices.get(0).message().text());
      assertEquals(List.of(), store.deliveries(DeliveryState.DELIVERED, 10).await(10, TimeUnit.SECONDS));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
