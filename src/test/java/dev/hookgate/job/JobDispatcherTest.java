package dev.hookgate.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.Addresses;
import dev.hookgate.Services;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.ops.GatewayMetrics;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.NewJob;
import dev.hookgate.store.SqlStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher alone, on a real store, with a stand-in worker that holds the long jobs and ends
 * the quick ones at once: it hands jobs only to free slots, and a job waits for the first that frees.
 */
@ExtendWith(VertxExtension.class)
class JobDispatcherTest {
  @TempDir Path dir;

  @Test
  void quickJobsRunBesideALongOneAndAJobWaitsOnlyWhenEverySlotIsBusy(Vertx vertx, VertxTestContext test) {
    SqlStore store = SqlStore.sqlite(vertx, dir.resolve("jobs.db"), "full", "node-test");
    GatewayConfig config = ConfigLoader.resolve(new JsonObject("""
        {"security": {"allow-short-secrets": true},
         "jobs": {"worker-instances": 2},
         "commands": {"report": {"token": "t", "concurrency": 2, "job": {"exec": ["sleep", "20"]}},
                      "echo": {"token": "t", "concurrency": 8, "job": {"http": {"url": "https://api.example.org/echo"}}}}}
        """), Map.of());
    Services services = Services.of(vertx, new AtomicReference<>(config), store, Clock.systemUTC(),
        UUID.randomUUID().toString(), GatewayMetrics.create());
    Map<String, Message<JobRecord>> held = new HashMap<>();
    List<String> handed = new ArrayList<>();
    AtomicBoolean firstReportEnded = new AtomicBoolean();
    Checkpoint quickOnes = test.checkpoint(4);
    Checkpoint waitedForTheFreedSlot = test.checkpoint();
    vertx.eventBus().<JobRecord>consumer(Addresses.JOBS_RUN, m -> {
      JobRecord job = m.body();
      handed.add(job.id());
      test.verify(() -> assertTrue(held.size() + 1 <= 2, "a job was handed over while both slots were busy: "
          + handed));
      if (job.command().equals("report")) {
        held.put(job.id(), m);
        if (job.id().equals("r2")) {
          // both slots busy now: e5 is queued and must wait for r1's slot; the dispatcher is woken
          // (by the store, at commit) and then has more than its poll interval (1 s) to hand e5 over wrongly
          enqueue(store, "e5", "echo").onSuccess(v -> vertx.setTimer(1500, t -> {
            firstReportEnded.set(true);
            held.remove("r1").reply(null);
          }));
        }
      } else if (job.id().equals("e5")) {
        test.verify(() -> assertTrue(firstReportEnded.get(), "e5 ran before a slot was free"));
        m.reply(null);
        held.values().forEach(r -> r.reply(null)); // end r2, so that the dispatcher stops at once
        waitedForTheFreedSlot.flag();
      } else {
        m.reply(null);
        quickOnes.flag();
        if (handed.stream().filter(id -> id.startsWith("e")).count() == 4) {
          enqueue(store, "r2", "report");
        }
      }
    });
    store.open()
        .compose(v -> enqueue(store, "r1", "report"))
        .compose(v -> vertx.deployVerticle(new JobDispatcher(services)))
        .compose(v -> Future.all(List.of(enqueue(store, "e1", "echo"), enqueue(store, "e2", "echo"),
            enqueue(store, "e3", "echo"), enqueue(store, "e4", "echo"))))
        .onFailure(test::failNow);
  }

  private static Future<Void> enqueue(SqlStore store, String id, String command) {
    return store.enqueueJob(new NewJob(id, command, Map.of("text", id), "", System.currentTimeMillis()), 100)
        .mapEmpty();
  }
}
