package dev.hookgate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.protocol.ChatMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Store} implementation must honour. Subclasses supply {@link #newStore}:
 * within one test, every call must return a store over the <em>same</em> database (the durability
 * tests close a store and open a new one); each test must start from an empty database.
 *
 * <p>All times are explicit arguments, so nothing here sleeps. Futures are awaited from the test
 * thread, which is not a Vert.x thread.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class StoreContractTest {
  protected static final ChatMessage HELLO = ChatMessage.text("in_channel", "hello");
  protected static final long MINUTE = 60_000;
  protected static final long LIFETIME = 30 * MINUTE;

  protected Vertx vertx;
  protected Store store;

  /** A store over this test's database; not yet opened. */
  protected abstract Store newStore(Vertx vertx) throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    vertx = Vertx.vertx();
    store = newStore(vertx);
    await(store.open());
  }

  @AfterEach
  void closeStore() throws Exception {
    try {
      if (store != null) {
        await(store.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  // ================================================================== jobs

  @Test
  void an_enqueued_job_is_accepted_and_reads_back_queued_with_its_request() {
    NewJob job = newJob("j1", "deploy", 1_000);

    EnqueueResult result = await(store.enqueueJob(job, 10));

    assertEquals(new EnqueueResult.Accepted("j1"), result);
    JobRecord stored = await(store.job("j1")).orElseThrow();
    assertEquals("j1", stored.id());
    assertEquals("deploy", stored.command());
    assertEquals(job.request(), stored.request());
    assertEquals(job.responseUrl(), stored.responseUrl());
    assertEquals(JobState.QUEUED, stored.state());
    assertEquals(0, stored.attempts());
    assertEquals(1_000, stored.createdAt());
    assertNull(stored.startedAt());
    assertNull(stored.finishedAt());
    assertNull(stored.outcome());
  }

  @Test
  void an_unknown_job_id_reads_back_empty() {
    assertEquals(Optional.empty(), await(store.job("nope")));
  }

  @Test
  void a_command_with_max_queued_jobs_waiting_refuses_more_with_the_queued_count() {
    assertInstanceOf(EnqueueResult.Accepted.class, await(store.enqueueJob(newJob("a", "deploy", 1), 2)));
    assertInstanceOf(EnqueueResult.Accepted.class, await(store.enqueueJob(newJob("b", "deploy", 2), 2)));

    assertEquals(new EnqueueResult.QueueFull(2), await(store.enqueueJob(newJob("c", "deploy", 3), 2)));
    assertEquals(Optional.empty(), await(store.job("c")));
    // other commands have queues of their own
    assertEquals(new EnqueueResult.Accepted("d"), await(store.enqueueJob(newJob("d", "status", 4), 2)));
  }

  @Test
  void running_jobs_do_not_count_against_max_queued() {
    await(store.enqueueJob(newJob("a", "deploy", 1), 1));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 10, 1_000));

    assertEquals(new EnqueueResult.Accepted("b"), await(store.enqueueJob(newJob("b", "deploy", 2), 1)));
  }

  @Test
  void claim_jobs_takes_the_oldest_first_up_to_each_commands_capacity_and_marks_them_running() {
    await(store.enqueueJob(newJob("d3", "deploy", 300), 10));
    await(store.enqueueJob(newJob("d1", "deploy", 100), 10));
    await(store.enqueueJob(newJob("s1", "status", 150), 10));
    await(store.enqueueJob(newJob("d2", "deploy", 200), 10));
    await(store.enqueueJob(newJob("s2", "status", 250), 10));
    await(store.enqueueJob(newJob("x1", "other", 50), 10));

    Map<String, Integer> capacity = new LinkedHashMap<>();
    capacity.put("deploy", 2);
    capacity.put("status", 1);
    capacity.put("other", 0);
    List<JobRecord> claimed = await(store.claimJobs(capacity, "node-1", 1_000, 31_000));

    assertEquals(Set.of("d1", "d2", "s1"), jobIds(claimed));
    List<String> deployOrder = claimed.stream().filter(j -> j.command().equals("deploy")).map(JobRecord::id).toList();
    assertEquals(List.of("d1", "d2"), deployOrder);
    for (JobRecord j : claimed) {
      assertEquals(JobState.RUNNING, j.state(), j.id());
      assertEquals(1, j.attempts(), j.id());
      assertEquals(1_000L, j.startedAt(), j.id());
      JobRecord stored = await(store.job(j.id())).orElseThrow();
      assertEquals(JobState.RUNNING, stored.state(), j.id());
      assertEquals(1, stored.attempts(), j.id());
      assertEquals(1_000L, stored.startedAt(), j.id());
    }
    assertEquals(JobState.QUEUED, await(store.job("d3")).orElseThrow().state());
    assertEquals(JobState.QUEUED, await(store.job("x1")).orElseThrow().state());
  }

  @Test
  void a_leased_job_is_not_claimed_again_while_its_lease_holds() {
    await(store.enqueueJob(newJob("a", "deploy", 100), 10));
    await(store.enqueueJob(newJob("b", "deploy", 200), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));

    List<JobRecord> second = await(store.claimJobs(Map.of("deploy", 5), "node-2", 2_000, 32_000));
    assertEquals(List.of("b"), second.stream().map(JobRecord::id).toList());

    // a lease holds up to and including its leaseUntil
    assertEquals(List.of(), await(store.claimJobs(Map.of("deploy", 5), "node-2", 31_000, 61_000)));
  }

  @Test
  void a_running_job_whose_lease_expired_can_be_claimed_again_with_another_attempt() {
    await(store.enqueueJob(newJob("a", "deploy", 100), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));

    List<JobRecord> again = await(store.claimJobs(Map.of("deploy", 1), "node-2", 31_001, 61_001));

    assertEquals(1, again.size());
    assertEquals("a", again.get(0).id());
    assertEquals(JobState.RUNNING, again.get(0).state());
    assertEquals(2, again.get(0).attempts());
    assertEquals(2, await(store.job("a")).orElseThrow().attempts());
  }

  @Test
  void jobs_given_back_return_to_the_queue_as_they_were_and_count_again_against_max_queued() {
    await(store.enqueueJob(newJob("j1", "deploy", 100), 1));
    List<JobRecord> claimed = await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));
    assertEquals(1, claimed.size());
    assertInstanceOf(EnqueueResult.Accepted.class, await(store.enqueueJob(newJob("j2", "deploy", 200), 2)));
    await(store.returnJobs("node-2", List.of("j1"))); // another owner's: nothing happens
    assertEquals(JobState.RUNNING, await(store.job("j1")).orElseThrow().state());
    await(store.returnJobs("node-1", List.of("j1")));
    JobRecord back = await(store.job("j1")).orElseThrow();
    assertEquals(JobState.QUEUED, back.state());
    assertEquals(0, back.attempts());
    assertInstanceOf(EnqueueResult.QueueFull.class, await(store.enqueueJob(newJob("j3", "deploy", 300), 2)));
    assertEquals(List.of("j1"), await(store.claimJobs(Map.of("deploy", 1), "node-3", 2_000, 32_000)).stream()
        .map(JobRecord::id).toList());
  }

  @Test
  void renew_leases_extends_only_the_owners_job_leases() {
    await(store.enqueueJob(newJob("mine", "deploy", 100), 10));
    await(store.enqueueJob(newJob("theirs", "deploy", 200), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000)); // mine
    await(store.claimJobs(Map.of("deploy", 1), "node-2", 1_000, 31_000)); // theirs

    await(store.renewJobLeases("node-1", List.of("mine", "theirs"), 91_000));

    List<JobRecord> reclaimed = await(store.claimJobs(Map.of("deploy", 5), "node-3", 40_000, 70_000));
    assertEquals(List.of("theirs"), reclaimed.stream().map(JobRecord::id).toList());
  }

  @Test
  void finish_job_stores_state_and_outcome_and_queues_its_deliveries() {
    await(store.enqueueJob(newJob("j1", "deploy", 100), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));
    String url = responseUrlOf("j1");

    await(store.finishJob("j1", JobState.SUCCEEDED, "exit 0", 5_000, List.of(
        NewDelivery.toResponseUrl(url, "ops", "j1", HELLO, 5_000),
        NewDelivery.toDestination("ops", null, ChatMessage.text(null, "deployed"), 5_000, 5_000))));

    JobRecord job = await(store.job("j1")).orElseThrow();
    assertEquals(JobState.SUCCEEDED, job.state());
    assertEquals("exit 0", job.outcome());
    assertEquals(5_000L, job.finishedAt());
    List<Delivery> pending = pendingOldestFirst();
    assertEquals(2, pending.size());
    Delivery reply = pending.get(0);
    assertEquals(url, reply.responseUrl());
    assertNull(reply.destination());
    assertEquals("ops", reply.fallback());
    assertEquals("j1", reply.jobId());
    assertEquals(HELLO, reply.message());
    assertEquals(DeliveryState.PENDING, reply.state());
    assertEquals(Lanes.RESPONSE_URL_PREFIX + "j1", reply.lane());
    assertEquals("deployed", pending.get(1).message().text());
    assertEquals("dest:ops", pending.get(1).lane());
    // a finished job is not claimed again, however late it is
    assertEquals(List.of(), await(store.claimJobs(Map.of("deploy", 5), "node-2", 10_000_000, 10_030_000)));
  }

  @Test
  void a_finish_job_whose_deliveries_cannot_be_stored_changes_nothing() {
    await(store.enqueueJob(newJob("j1", "deploy", 100), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));
    NewDelivery good = NewDelivery.toDestination("ops", null, HELLO, 5_000, 5_000);
    NewDelivery broken = NewDelivery.toDestination("ops", null, null, 5_000, 5_000); // no message

    Throwable failure = failureOf(store.finishJob("j1", JobState.SUCCEEDED, "exit 0", 5_000, List.of(good, broken)));

    assertNotNull(failure);
    JobRecord job = await(store.job("j1")).orElseThrow();
    assertEquals(JobState.RUNNING, job.state());
    assertNull(job.outcome());
    assertNull(job.finishedAt());
    assertEquals(List.of(), pendingOldestFirst());
  }

  @Test
  void recent_jobs_lists_the_newest_first_up_to_the_limit() {
    await(store.enqueueJob(newJob("a", "deploy", 100), 10));
    await(store.enqueueJob(newJob("c", "status", 300), 10));
    await(store.enqueueJob(newJob("b", "deploy", 200), 10));

    assertEquals(List.of("c", "b"), await(store.recentJobs(2)).stream().map(JobRecord::id).toList());
  }

  @Test
  void recover_requeues_running_jobs_that_may_rerun_and_interrupts_the_others_with_their_notices() {
    await(store.enqueueJob(newJob("again", "status", 100), 10));
    await(store.enqueueJob(newJob("once", "deploy", 200), 10));
    await(store.enqueueJob(newJob("waiting", "deploy", 300), 10));
    await(store.enqueueJob(newJob("done", "deploy", 50), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 900, 30_900)); // done
    await(store.finishJob("done", JobState.SUCCEEDED, "ok", 950, List.of()));
    await(store.claimJobs(Map.of("status", 1, "deploy", 1), "node-1", 1_000, 31_000)); // again, once

    List<String> noticed = Collections.synchronizedList(new ArrayList<>());
    int recovered = await(store.recover(2_000, "status"::equals, j -> {
      noticed.add(j.id());
      return List.of(NewDelivery.toResponseUrl(j.responseUrl(), null, j.id(),
          ChatMessage.text("ephemeral", "interrupted: " + j.command()), 2_000));
    }));

    assertEquals(2, recovered);
    assertEquals(List.of("once"), List.copyOf(new LinkedHashSet<>(noticed)));
    JobRecord again = await(store.job("again")).orElseThrow();
    assertEquals(JobState.QUEUED, again.state());
    assertNull(again.finishedAt());
    assertNull(again.outcome());
    JobRecord once = await(store.job("once")).orElseThrow();
    assertEquals(JobState.INTERRUPTED, once.state());
    assertEquals(2_000L, once.finishedAt());
    assertNotNull(once.outcome());
    assertEquals(JobState.QUEUED, await(store.job("waiting")).orElseThrow().state());
    assertEquals(JobState.SUCCEEDED, await(store.job("done")).orElseThrow().state());

    List<Delivery> notices = pendingOldestFirst();
    assertEquals(1, notices.size());
    assertEquals("once", notices.get(0).jobId());
    assertEquals(responseUrlOf("once"), notices.get(0).responseUrl());
    assertEquals("interrupted: deploy", notices.get(0).message().text());

    // the requeued job runs again at once, its lease forgotten
    List<JobRecord> rerun = await(store.claimJobs(Map.of("status", 1), "node-2", 2_001, 32_001));
    assertEquals(List.of("again"), rerun.stream().map(JobRecord::id).toList());
    assertEquals(2, rerun.get(0).attempts());
  }

  @Test
  void recover_releases_delivery_leases() {
    await(store.enqueueDeliveries(List.of(dest("ops", 100), dest("ops", 100)), null, null, 0));
    assertEquals(2, await(store.claimDeliveries(List.of(), 10, 10, "node-1", 1_000, 31_000, -1)).size());

    assertEquals(0, await(store.recover(2_000, c -> true, j -> List.of())));

    assertEquals(2, await(store.claimDeliveries(List.of(), 10, 10, "node-2", 2_000, 32_000, -1)).size());
  }

  @Test
  void a_recover_whose_notice_callback_throws_fails_and_changes_nothing() {
    await(store.enqueueJob(newJob("j1", "deploy", 100), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));

    Throwable failure = failureOf(store.recover(2_000, c -> false, j -> {
      throw new IllegalStateException("notice template failed");
    }));

    assertNotNull(failure);
    assertEquals(JobState.RUNNING, await(store.job("j1")).orElseThrow().state());
    assertEquals(List.of(), pendingOldestFirst());
  }

  @Test
  void a_callback_that_throws_an_error_fails_its_operation_and_leaves_the_store_usable() {
    await(store.enqueueJob(newJob("j1", "deploy", 100), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));

    // e.g. a notice template that recurses too deeply
    Throwable failure = failureOf(store.recover(2_000, c -> false, j -> {
      throw new StackOverflowError("notice template recursed too deeply");
    }), 5);

    assertNotNull(failure);
    assertEquals(JobState.RUNNING, failing(store.job("j1"), 5).orElseThrow().state());
  }

  // ================================================================== deliveries

  @Test
  void enqueued_deliveries_read_back_as_given() {
    NewDelivery d = new NewDelivery("ops", null, null, "job-9", "alerts", HELLO, 1_000, 4_000);
    assertTrue(await(store.enqueueDeliveries(List.of(d), null, null, 0)));

    Delivery stored = pendingOldestFirst().get(0);
    assertEquals(stored, await(delivery(stored.id())).orElseThrow());
    assertEquals("ops", stored.destination());
    assertNull(stored.responseUrl());
    assertNull(stored.fallback());
    assertEquals("job-9", stored.jobId());
    assertEquals("alerts", stored.hook());
    assertEquals(HELLO, stored.message());
    assertEquals(DeliveryState.PENDING, stored.state());
    assertEquals(0, stored.attempts());
    assertEquals(1_000, stored.createdAt());
    assertEquals(4_000, stored.notBefore());
    assertNull(stored.lastError());
    assertNull(stored.deliveredAt());
    assertEquals(Optional.empty(), await(delivery(stored.id() + 1_000)));
  }

  @Test
  void claim_deliveries_returns_pending_rows_by_id_at_most_per_lane_from_each_lane() {
    await(store.enqueueDeliveries(List.of(
        dest("a", 100), dest("b", 100), dest("a", 100), dest("c", 100), dest("a", 100), dest("b", 100)),
        null, null, 0));
    List<Long> all = pendingOldestFirst().stream().map(Delivery::id).toList();

    List<Delivery> claimed = await(store.claimDeliveries(List.of(), 2, 100, "node-1", 1_000, 31_000, -1));

    // a1 b1 a2 c1 b2 — the third "a" waits
    assertEquals(List.of(all.get(0), all.get(1), all.get(2), all.get(3), all.get(5)),
        claimed.stream().map(Delivery::id).toList());
  }

  @Test
  void claim_deliveries_skips_the_lanes_it_is_told_to_skip() {
    await(store.enqueueDeliveries(List.of(
        dest("a", 100), dest("b", 100), dest("a", 100), dest("b", 100), dest("a", 100), dest("b", 100)),
        null, null, 0));

    List<Delivery> claimed = await(store.claimDeliveries(List.of("dest:a"), 2, 2, "node-1", 1_000, 31_000, -1));

    assertEquals(List.of("dest:b", "dest:b"), claimed.stream().map(Delivery::lane).toList());
    assertEquals(3, await(store.backlog()).get("dest:a")[0]);
  }

  @Test
  void claim_deliveries_returns_at_most_max_rows_oldest_first() {
    await(store.enqueueDeliveries(List.of(
        dest("a", 100), dest("b", 100), dest("c", 100), dest("d", 100), dest("e", 100)), null, null, 0));

    List<Delivery> claimed = await(store.claimDeliveries(List.of(), 5, 3, "node-1", 1_000, 31_000, -1));

    assertEquals(List.of("dest:a", "dest:b", "dest:c"), claimed.stream().map(Delivery::lane).toList());
  }

  @Test
  void leased_deliveries_are_not_claimed_again_until_their_lease_expires() {
    await(store.enqueueDeliveries(List.of(dest("a", 100), dest("a", 100), dest("b", 100)), null, null, 0));
    List<Long> all = pendingOldestFirst().stream().map(Delivery::id).toList();

    assertEquals(all, ids(await(store.claimDeliveries(List.of(), 10, 10, "node-1", 1_000, 31_000, -1))));
    assertEquals(List.of(), await(store.claimDeliveries(List.of(), 10, 10, "node-2", 20_000, 50_000, -1)));
    // a lease holds up to and including its leaseUntil
    assertEquals(List.of(), await(store.claimDeliveries(List.of(), 10, 10, "node-2", 31_000, 61_000, -1)));
    assertEquals(all, ids(await(store.claimDeliveries(List.of(), 10, 10, "node-2", 31_001, 61_001, -1))));
  }

  @Test
  void a_second_claim_takes_the_next_rows_of_a_lane_whose_head_is_leased() {
    await(store.enqueueDeliveries(List.of(dest("a", 100), dest("a", 100), dest("a", 100)), null, null, 0));
    List<Long> all = pendingOldestFirst().stream().map(Delivery::id).toList();

    assertEquals(all.subList(0, 1), ids(await(store.claimDeliveries(List.of(), 1, 10, "node-1", 1_000, 31_000, -1))));
    assertEquals(all.subList(1, 2), ids(await(store.claimDeliveries(List.of(), 1, 10, "node-1", 2_000, 32_000, -1))));
  }

  @Test
  void not_before_in_the_future_does_not_keep_a_delivery_from_being_claimed() {
    // the delivery engine holds coalescing windows in memory: it claims early and waits itself
    await(store.enqueueDeliveries(List.of(NewDelivery.toDestination("ops", "alerts", HELLO, 1_000, 60_000)),
        null, null, 0));

    List<Delivery> claimed = await(store.claimDeliveries(List.of(), 10, 10, "node-1", 1_000, 31_000, -1));

    assertEquals(1, claimed.size());
    assertEquals(60_000, claimed.get(0).notBefore());
  }

  @Test
  void renew_leases_extends_only_the_owners_delivery_leases() {
    await(store.enqueueDeliveries(List.of(dest("a", 100)), null, null, 0));
    await(store.enqueueDeliveries(List.of(dest("b", 100)), null, null, 0));
    long mine = await(store.claimDeliveries(List.of(), 1, 1, "node-1", 1_000, 31_000, -1)).get(0).id();
    long theirs = await(store.claimDeliveries(List.of(), 1, 1, "node-2", 1_000, 31_000, -1)).get(0).id();

    await(store.renewDeliveryLeases("node-1", List.of(mine, theirs), 91_000));

    assertEquals(List.of(theirs), ids(await(store.claimDeliveries(List.of(), 10, 10, "node-3", 40_000, 70_000, -1))));
  }

  @Test
  void a_repeated_idempotency_key_within_the_window_is_dropped() {
    assertTrue(await(store.enqueueDeliveries(List.of(dest("ops", 1_000)), "hook:alerts", "k1", MINUTE)));

    assertFalse(await(store.enqueueDeliveries(List.of(dest("ops", 30_000), dest("ops", 30_000)),
        "hook:alerts", "k1", MINUTE)));

    assertEquals(1, pendingOldestFirst().size());
  }

  @Test
  void an_idempotency_key_is_accepted_again_once_its_window_has_passed() {
    assertTrue(await(store.enqueueDeliveries(List.of(dest("ops", 1_000)), "hook:alerts", "k1", MINUTE)));

    assertTrue(await(store.enqueueDeliveries(List.of(dest("ops", 1_000 + MINUTE + 1)), "hook:alerts", "k1", MINUTE)));
    assertFalse(await(store.enqueueDeliveries(List.of(dest("ops", 1_000 + MINUTE + 2)), "hook:alerts", "k1", MINUTE)));

    assertEquals(2, pendingOldestFirst().size());
  }

  @Test
  void the_same_idempotency_key_in_another_scope_is_accepted() {
    assertTrue(await(store.enqueueDeliveries(List.of(dest("ops", 1_000)), "hook:alerts", "k1", MINUTE)));

    assertTrue(await(store.enqueueDeliveries(List.of(dest("ops", 2_000)), "hook:builds", "k1", MINUTE)));
    assertTrue(await(store.enqueueDeliveries(List.of(dest("ops", 3_000)), "hook:alerts", "k2", MINUTE)));

    assertEquals(3, pendingOldestFirst().size());
  }

  @Test
  void deliveries_without_an_idempotency_key_are_never_dropped() {
    assertTrue(await(store.enqueueDeliveries(List.of(dest("ops", 1_000)), "hook:alerts", null, MINUTE)));
    assertTrue(await(store.enqueueDeliveries(List.of(dest("ops", 1_000)), "hook:alerts", null, MINUTE)));

    assertEquals(2, pendingOldestFirst().size());
  }

  @Test
  void mark_delivered_ends_a_delivery_and_releases_it() {
    await(store.enqueueDeliveries(List.of(dest("ops", 100), dest("ops", 100)), null, null, 0));
    List<Delivery> claimed = await(store.claimDeliveries(List.of(), 10, 10, "node-1", 1_000, 31_000, -1));
    long first = claimed.get(0).id();

    await(store.markDelivered(List.of(first), 2_000));

    Delivery d = await(delivery(first)).orElseThrow();
    assertEquals(DeliveryState.DELIVERED, d.state());
    assertEquals(2_000L, d.deliveredAt());
    assertEquals(List.of(first), ids(await(store.deliveries(DeliveryState.DELIVERED, 10))));
    assertArrayEquals(new long[] {1, 100}, await(store.backlog()).get("dest:ops"));
    // never claimed again
    assertEquals(List.of(claimed.get(1).id()),
        ids(await(store.claimDeliveries(List.of(), 10, 10, "node-2", 100_000, 130_000, -1))));
  }

  @Test
  void mark_dead_buries_a_delivery_with_its_error() {
    await(store.enqueueDeliveries(List.of(dest("ops", 100)), null, null, 0));
    long id = await(store.claimDeliveries(List.of(), 10, 10, "node-1", 1_000, 31_000, -1)).get(0).id();

    await(store.markDead(List.of(id), "HTTP 404: no such hook", 2_000));

    Delivery d = await(delivery(id)).orElseThrow();
    assertEquals(DeliveryState.DEAD, d.state());
    assertEquals("HTTP 404: no such hook", d.lastError());
    assertNull(d.deliveredAt());
    assertEquals(List.of(id), ids(await(store.deliveries(DeliveryState.DEAD, 10))));
    assertEquals(Map.of(), await(store.backlog()));
    assertEquals(List.of(), await(store.claimDeliveries(List.of(), 10, 10, "node-2", 100_000, 130_000, -1)));
  }

  @Test
  void record_attempt_counts_or_not_and_keeps_the_delivery_pending_and_leased() {
    await(store.enqueueDeliveries(List.of(dest("ops", 100)), null, null, 0));
    long id = await(store.claimDeliveries(List.of(), 10, 10, "node-1", 1_000, 31_000, -1)).get(0).id();

    await(store.recordAttempt(List.of(id), "HTTP 500", true));
    Delivery d = await(delivery(id)).orElseThrow();
    assertEquals(1, d.attempts());
    assertEquals("HTTP 500", d.lastError());
    assertEquals(DeliveryState.PENDING, d.state());

    await(store.recordAttempt(List.of(id), "HTTP 429: rate limited", false));
    d = await(delivery(id)).orElseThrow();
    assertEquals(1, d.attempts());
    assertEquals("HTTP 429: rate limited", d.lastError());
    assertEquals(DeliveryState.PENDING, d.state());

    assertEquals(List.of(), await(store.claimDeliveries(List.of(), 10, 10, "node-2", 2_000, 32_000, -1)));
  }

  @Test
  void retarget_moves_a_response_url_delivery_to_its_fallback_destination() {
    String url = "https://chat.example/hooks/commands/abc";
    await(store.enqueueDeliveries(List.of(NewDelivery.toResponseUrl(url, "ops", "j1", HELLO, 100)), null, null, 0));
    long id = pendingOldestFirst().get(0).id();

    await(store.retarget(List.of(id), "ops"));

    Delivery d = await(delivery(id)).orElseThrow();
    assertEquals("ops", d.destination());
    assertNull(d.responseUrl());
    assertNull(d.fallback());
    assertEquals("j1", d.jobId());
    assertEquals("dest:ops", d.lane());
    assertEquals(Set.of("dest:ops"), await(store.backlog()).keySet());
    assertEquals(List.of("dest:ops"),
        await(store.claimDeliveries(List.of(), 10, 10, "node-1", 1_000, 31_000, -1)).stream().map(Delivery::lane).toList());
  }

  @Test
  void retarget_of_ids_that_do_not_exist_does_nothing() {
    await(store.retarget(List.of(12_345L, 67_890L), "ops"));

    assertEquals(Map.of(), await(store.backlog()));
  }

  @Test
  void replay_puts_a_dead_delivery_back_in_its_queue_with_attempts_reset() {
    await(store.enqueueDeliveries(List.of(dest("ops", 100), dest("ops", 100)), null, null, 0));
    List<Delivery> claimed = await(store.claimDeliveries(List.of(), 10, 10, "node-1", 1_000, 31_000, -1));
    long dead = claimed.get(0).id();
    long delivered = claimed.get(1).id();
    await(store.recordAttempt(List.of(dead), "HTTP 500", true));
    await(store.recordAttempt(List.of(dead), "HTTP 500", true));
    await(store.markDead(List.of(dead), "gave up", 2_000));
    await(store.markDelivered(List.of(delivered), 2_000));

    assertTrue(await(store.replay(dead, 5_000)));

    Delivery d = await(delivery(dead)).orElseThrow();
    assertEquals(DeliveryState.PENDING, d.state());
    assertEquals(0, d.attempts());
    assertTrue(d.notBefore() <= 5_000);
    assertEquals(List.of(dead), ids(await(store.claimDeliveries(List.of(), 10, 10, "node-1", 5_000, 35_000, -1))));
  }

  @Test
  void replay_refuses_deliveries_that_are_not_dead() {
    await(store.enqueueDeliveries(List.of(dest("ops", 100), dest("ops", 100)), null, null, 0));
    List<Long> ids = pendingOldestFirst().stream().map(Delivery::id).toList();
    await(store.markDelivered(List.of(ids.get(1)), 2_000));

    assertFalse(await(store.replay(ids.get(0), 5_000)), "pending");
    assertFalse(await(store.replay(ids.get(1), 5_000)), "delivered");
    assertFalse(await(store.replay(999_999, 5_000)), "unknown");
    assertEquals(DeliveryState.DELIVERED, await(delivery(ids.get(1))).orElseThrow().state());
  }

  @Test
  void deliveries_lists_one_state_newest_first_up_to_the_limit() {
    await(store.enqueueDeliveries(List.of(dest("a", 100), dest("b", 200), dest("c", 300), dest("d", 400)),
        null, null, 0));
    List<Long> ids = pendingOldestFirst().stream().map(Delivery::id).toList();
    await(store.markDead(List.of(ids.get(3)), "gone", 500));

    assertEquals(List.of(ids.get(2), ids.get(1)), ids(await(store.deliveries(DeliveryState.PENDING, 2))));
    assertEquals(List.of(ids.get(3)), ids(await(store.deliveries(DeliveryState.DEAD, 10))));
    assertEquals(List.of(), await(store.deliveries(DeliveryState.DELIVERED, 10)));
  }

  @Test
  void backlog_counts_pending_deliveries_per_lane_with_the_oldest_creation_time() {
    String url = "https://chat.example/hooks/commands/abc";
    await(store.enqueueDeliveries(List.of(dest("ops", 500), dest("ops", 300), dest("ops", 900), dest("dev", 700),
        NewDelivery.toResponseUrl(url, null, "j1", HELLO, 800)), null, null, 0));
    long oldestOps = pendingOldestFirst().get(1).id();
    await(store.markDelivered(List.of(oldestOps), 1_000));

    Map<String, long[]> backlog = await(store.backlog());

    assertEquals(Set.of("dest:ops", "dest:dev", "resp:"), backlog.keySet());
    assertArrayEquals(new long[] {2, 500}, backlog.get("dest:ops"));
    assertArrayEquals(new long[] {1, 700}, backlog.get("dest:dev"));
    assertArrayEquals(new long[] {1, 800}, backlog.get("resp:"));
  }

  @Test
  void claiming_after_an_id_takes_only_newer_rows() {
    await(store.enqueueDeliveries(List.of(toOps("a", 100), toOps("b", 101), toOps("c", 102)), null, null, 0));
    List<Delivery> all = await(store.claimDeliveries(List.of(), 10, 10, "node-a", 200, 1_000, -1));
    await(store.enqueueDeliveries(List.of(toOps("d", 103)), null, null, 0));

    List<Delivery> newer = await(store.claimDeliveries(List.of(), 10, 10, "node-a", 200, 1_000, all.get(2).id()));

    assertEquals(List.of("d"), newer.stream().map(d -> d.message().text()).toList());
  }

  @Test
  void the_successful_send_counts_as_an_attempt() {
    await(store.enqueueDeliveries(List.of(toOps("a", 100)), null, null, 0));
    long id = pendingOldestFirst().get(0).id();
    await(store.recordAttempt(List.of(id), "HTTP 503", true));
    await(store.markDelivered(List.of(id), 300));
    assertEquals(2, await(delivery(id)).orElseThrow().attempts());
  }

  @Test
  void retention_forgets_delivered_messages_and_finished_jobs_but_keeps_live_work_and_dead_letters() {
    await(store.enqueueJob(newJob("done", "deploy", 100), 10));
    await(store.enqueueJob(newJob("waiting", "deploy", 200), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 300, 30_000)); // "done" runs
    await(store.finishJob("done", JobState.SUCCEEDED, "ok", 400, List.of()));
    await(store.enqueueDeliveries(List.of(toOps("old", 100), toOps("dead", 100), toOps("pending", 100)), null, null, 0));
    List<Delivery> ds = pendingOldestFirst();
    await(store.markDelivered(List.of(ds.get(0).id()), 500));
    await(store.markDead(List.of(ds.get(1).id()), "HTTP 403", 500));

    assertEquals(1, await(store.purgeFinished(450))); // the job that finished at 400
    assertEquals(1, await(store.purgeFinished(600))); // the message delivered at 500

    assertTrue(await(store.job("done")).isEmpty());
    assertEquals(JobState.QUEUED, await(store.job("waiting")).orElseThrow().state());
    assertTrue(await(delivery(ds.get(0).id())).isEmpty());
    assertEquals(DeliveryState.DEAD, await(delivery(ds.get(1).id())).orElseThrow().state());
    assertEquals(DeliveryState.PENDING, await(delivery(ds.get(2).id())).orElseThrow().state());
  }

  @Test
  void an_empty_store_has_no_backlog() {
    assertEquals(Map.of(), await(store.backlog()));
  }

  // ================================================================== response_url budgets

  @Test
  void a_jobs_response_url_can_be_used_five_times() {
    await(store.enqueueJob(newJob("five", "deploy", 1_000), 10));

    for (int i = 1; i <= 5; i++) {
      assertTrue(await(store.tryUseResponseUrl("five", 2_000 + i, LIFETIME, 5)), "use " + i);
    }
    assertFalse(await(store.tryUseResponseUrl("five", 3_000, LIFETIME, 5)), "use 6");
  }

  @Test
  void a_response_url_expires_a_lifetime_after_its_job_was_created() {
    await(store.enqueueJob(newJob("old", "deploy", 1_000), 10));

    assertTrue(await(store.tryUseResponseUrl("old", 1_000 + LIFETIME - 1, LIFETIME, 5)));
    assertFalse(await(store.tryUseResponseUrl("old", 1_000 + LIFETIME + 1, LIFETIME, 5)));
  }

  @Test
  void a_use_given_back_can_be_used_again_but_never_below_zero() {
    await(store.enqueueJob(newJob("back", "deploy", 1_000), 10));
    await(store.returnResponseUrlUse("back")); // nothing taken yet: stays at zero
    for (int i = 1; i <= 5; i++) {
      assertTrue(await(store.tryUseResponseUrl("back", 2_000, LIFETIME, 5)), "use " + i);
    }
    assertFalse(await(store.tryUseResponseUrl("back", 2_000, LIFETIME, 5)));
    await(store.returnResponseUrlUse("back"));
    assertTrue(await(store.tryUseResponseUrl("back", 2_000, LIFETIME, 5)));
    assertFalse(await(store.tryUseResponseUrl("back", 2_000, LIFETIME, 5)));
  }

  @Test
  void the_response_url_of_an_unknown_job_cannot_be_used() {
    assertFalse(await(store.tryUseResponseUrl("who", 1_000, LIFETIME, 5)));
  }

  @Test
  void uses_are_counted_whatever_the_jobs_state() {
    await(store.enqueueJob(newJob("j1", "deploy", 5_000), 10));
    assertTrue(await(store.tryUseResponseUrl("j1", 6_000, LIFETIME, 5)));
    await(store.claimJobs(Map.of("deploy", 1), "node-a", 6_000, 7_000));
    await(store.finishJob("j1", JobState.SUCCEEDED, "ok", 6_500, List.of()));
    for (int i = 2; i <= 5; i++) {
      assertTrue(await(store.tryUseResponseUrl("j1", 7_000, LIFETIME, 5)), "use " + i);
    }
    assertFalse(await(store.tryUseResponseUrl("j1", 7_000, LIFETIME, 5)));
  }

  // ================================================================== work stored leased to the node that wrote it

  @Test
  void a_job_accepted_with_a_free_slot_is_stored_running_leased_to_that_node_and_never_claimed() {
    EnqueueResult result = await(store.enqueueJob(newJob("j1", "deploy", 1_000), 10, new Lease("node-a", 31_000)));

    JobRecord started = assertInstanceOf(EnqueueResult.Started.class, result).job();
    assertEquals(JobState.RUNNING, started.state());
    assertEquals(1, started.attempts());
    assertEquals(Map.of("text", "prod now", "user_name", "alice", "channel_id", "c1"), started.request());
    assertEquals(JobState.RUNNING, await(store.job("j1")).orElseThrow().state());
    assertEquals(List.of(), await(store.claimJobs(Map.of("deploy", 5), "node-b", 2_000, 32_000)),
        "a job leased to a live node is not claimed");
    // its lease expired (its node stopped): a claim takes it back, second attempt
    assertEquals(2, await(store.claimJobs(Map.of("deploy", 5), "node-b", 31_001, 61_000)).get(0).attempts());
  }

  @Test
  void a_job_is_queued_behind_waiting_jobs_of_its_command_even_with_a_free_slot() {
    await(store.enqueueJob(newJob("first", "deploy", 1_000), 10));

    assertEquals(new EnqueueResult.Accepted("second"),
        await(store.enqueueJob(newJob("second", "deploy", 2_000), 10, new Lease("node-a", 31_000))));
    assertInstanceOf(EnqueueResult.Started.class,
        await(store.enqueueJob(newJob("other", "status", 2_000), 10, new Lease("node-a", 31_000))));
    assertEquals(List.of("first", "second"),
        await(store.claimJobs(Map.of("deploy", 5), "node-a", 3_000, 33_000)).stream().map(JobRecord::id).toList());
  }

  @Test
  void a_result_stored_with_a_lease_holds_its_replies_leased_with_ids_and_takes_the_first_use() {
    await(store.enqueueJob(newJob("j1", "deploy", 1_000), 10, new Lease("node-a", 31_000)));
    NewDelivery one = NewDelivery.toResponseUrl(responseUrlOf("j1"), "ops", "j1", HELLO, 2_000);
    NewDelivery two = NewDelivery.toResponseUrl(responseUrlOf("j1"), "ops", "j1", ChatMessage.text("in_channel", "2"),
        2_000);

    FinishedJob finished = await(store.finishJob("j1", JobState.SUCCEEDED, "ok", 2_000, List.of(one, two),
        new Lease("node-a", 32_000)));

    assertTrue(finished.firstUseTaken());
    assertEquals(2, finished.replies().size());
    assertTrue(finished.replies().get(0).id() < finished.replies().get(1).id());
    assertEquals(List.of("hello", "2"), finished.replies().stream().map(d -> d.message().text()).toList());
    assertEquals(Set.copyOf(ids(finished.replies())), Set.copyOf(ids(await(store.deliveries(DeliveryState.PENDING, 10)))));
    assertEquals(JobState.SUCCEEDED, await(store.job("j1")).orElseThrow().state());
    assertEquals(List.of(), await(store.claimDeliveries(List.of(), 100, 100, "node-b", 3_000, 33_000, -1)),
        "replies leased to a live node are not claimed");
    for (int use = 2; use <= 5; use++) {
      assertTrue(await(store.tryUseResponseUrl("j1", 3_000, LIFETIME, 5)), "use " + use);
    }
    assertFalse(await(store.tryUseResponseUrl("j1", 3_000, LIFETIME, 5)), "the result took the first of 5 uses");
    // the node stopped before posting them: once the lease is over, any claim takes them
    assertEquals(ids(finished.replies()),
        ids(await(store.claimDeliveries(List.of(), 100, 100, "node-b", 32_001, 62_000, -1))));
  }

  @Test
  void a_result_takes_no_use_of_a_spent_or_expired_response_url() {
    await(store.enqueueJob(newJob("j1", "deploy", 1_000), 10));
    for (int use = 1; use <= 5; use++) {
      await(store.tryUseResponseUrl("j1", 2_000, LIFETIME, 5));
    }
    NewDelivery reply = NewDelivery.toResponseUrl(responseUrlOf("j1"), "ops", "j1", HELLO, 2_000);
    assertFalse(await(store.finishJob("j1", JobState.SUCCEEDED, "ok", 2_000, List.of(reply),
        new Lease("node-a", 32_000))).firstUseTaken());

    await(store.enqueueJob(newJob("old", "deploy", 1_000), 10));
    NewDelivery late = NewDelivery.toResponseUrl(responseUrlOf("old"), "ops", "old", HELLO, 1_000 + LIFETIME + 1);
    assertFalse(await(store.finishJob("old", JobState.SUCCEEDED, "ok", 1_000 + LIFETIME + 1, List.of(late),
        new Lease("node-a", 1_000 + LIFETIME + 30_000))).firstUseTaken());
  }

  @Test
  void deliveries_stored_with_a_lease_come_back_with_their_ids_and_are_not_claimed_while_it_lasts() {
    Queued queued = await(store.enqueueDeliveries(List.of(dest("ops", 100), dest("ops", 100)), "hook:alerts", "k1",
        MINUTE, new Lease("node-a", 30_100)));

    assertTrue(queued.fresh());
    assertEquals(2, queued.leased().size());
    assertEquals(Set.copyOf(ids(queued.leased())), Set.copyOf(ids(await(store.deliveries(DeliveryState.PENDING, 10)))));
    assertEquals(List.of(), await(store.claimDeliveries(List.of(), 100, 100, "node-b", 200, 30_200, -1)));
    Queued repeat = await(store.enqueueDeliveries(List.of(dest("ops", 200)), "hook:alerts", "k1", MINUTE,
        new Lease("node-a", 30_200)));
    assertFalse(repeat.fresh());
    assertEquals(List.of(), repeat.leased());
    // without a lease they are queued for a claim, as before
    Queued forClaim = await(store.enqueueDeliveries(List.of(dest("ops", 300)), null, null, 0, null));
    assertEquals(List.of(), forClaim.leased());
    assertEquals(1, await(store.claimDeliveries(List.of(), 100, 100, "node-b", 300, 30_300, -1)).size());
  }

  // ================================================================== group commit, failures, durability

  @Test
  void two_thousand_deliveries_submitted_at_once_are_all_stored() {
    List<Future<Boolean>> futures = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      futures.add(store.enqueueDeliveries(List.of(dest("lane-" + (i % 7), 1_000 + i)), null, null, 0));
    }

    await(Future.all(futures));

    assertTrue(futures.stream().allMatch(f -> f.result()));
    List<Delivery> pending = await(store.deliveries(DeliveryState.PENDING, 10_000));
    assertEquals(2_000, pending.size());
    assertEquals(2_000, new HashSet<>(ids(pending)).size());
    assertEquals(2_000, await(store.backlog()).values().stream().mapToLong(v -> v[0]).sum());
  }

  @Test
  void one_failing_operation_does_not_fail_the_others_submitted_with_it() {
    await(store.enqueueJob(newJob("dup", "deploy", 1), 100));

    List<Future<Boolean>> before = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      before.add(store.enqueueDeliveries(List.of(dest("ops", 1_000 + i)), null, null, 0));
    }
    Future<EnqueueResult> other = store.enqueueJob(newJob("fresh", "deploy", 2), 100);
    Future<EnqueueResult> duplicate = store.enqueueJob(newJob("dup", "deploy", 3), 100);
    Future<Void> retarget = store.retarget(List.of(424_242L), "ops");
    List<Future<Boolean>> after = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      after.add(store.enqueueDeliveries(List.of(dest("dev", 2_000 + i)), null, null, 0));
    }

    assertNotNull(failureOf(duplicate), "a second job with the same id must fail");
    await(Future.all(before));
    await(Future.all(after));
    assertEquals(new EnqueueResult.Accepted("fresh"), await(other));
    await(retarget);
    assertEquals(1L, await(store.job("dup")).orElseThrow().createdAt());
    assertEquals(JobState.QUEUED, await(store.job("fresh")).orElseThrow().state());
    Map<String, long[]> backlog = await(store.backlog());
    assertEquals(60, backlog.get("dest:ops")[0]);
    assertEquals(60, backlog.get("dest:dev")[0]);
  }

  @Test
  void futures_complete_on_the_callers_context() {
    Context context = vertx.getOrCreateContext();
    Promise<Boolean> sameContext = Promise.promise();

    context.runOnContext(v -> store.backlog()
        .onComplete(r -> sameContext.complete(Vertx.currentContext() == context)));

    assertTrue(await(sameContext.future()));
  }

  @Test
  void data_survives_closing_and_reopening_the_store() throws Exception {
    await(store.enqueueJob(newJob("j1", "deploy", 100), 10));
    await(store.enqueueJob(newJob("j2", "deploy", 200), 10));
    await(store.claimJobs(Map.of("deploy", 1), "node-1", 1_000, 31_000));
    await(store.enqueueDeliveries(List.of(dest("ops", 300), dest("ops", 400)), "hook:alerts", "k1", MINUTE));
    long first = pendingOldestFirst().get(0).id();
    await(store.markDead(List.of(first), "gone", 500));
    String url = "j1"; // the budget of j1's response_url
    for (int i = 0; i < 4; i++) {
      assertTrue(await(store.tryUseResponseUrl(url, 600, LIFETIME, 5)));
    }

    reopen();

    JobRecord j1 = await(store.job("j1")).orElseThrow();
    assertEquals(JobState.RUNNING, j1.state());
    assertEquals(1, j1.attempts());
    assertEquals(newJob("j1", "deploy", 100).request(), j1.request());
    assertEquals(JobState.QUEUED, await(store.job("j2")).orElseThrow().state());
    assertEquals(DeliveryState.DEAD, await(delivery(first)).orElseThrow().state());
    assertArrayEquals(new long[] {1, 400}, await(store.backlog()).get("dest:ops"));
    assertFalse(await(store.enqueueDeliveries(List.of(dest("ops", 700)), "hook:alerts", "k1", MINUTE)),
        "idempotency keys survive");
    assertTrue(await(store.tryUseResponseUrl(url, 700, LIFETIME, 5)));
    assertFalse(await(store.tryUseResponseUrl(url, 700, LIFETIME, 5)), "response_url uses survive");
    // new ids come after the old ones
    long second = pendingOldestFirst().get(0).id();
    await(store.enqueueDeliveries(List.of(dest("dev", 800)), null, null, 0));
    long fresh = await(store.deliveries(DeliveryState.PENDING, 1)).get(0).id();
    assertTrue(fresh > first && fresh > second, "id " + fresh + " after " + first + ", " + second);
  }

  @Test
  void close_finishes_what_was_submitted_before_it() throws Exception {
    List<Future<Boolean>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(store.enqueueDeliveries(List.of(dest("ops", 1_000 + i)), null, null, 0));
    }

    reopen();

    await(Future.all(futures));
    assertEquals(50, await(store.backlog()).get("dest:ops")[0]);
  }

  @Test
  void a_closed_store_refuses_work() {
    await(store.close());

    assertNotNull(failureOf(store.backlog()));
    store = null;
  }

  // ================================================================== helpers

  /** Closes the store and opens a new one over the same database. */
  protected void reopen() throws Exception {
    Store old = store;
    store = null;
    await(old.close());
    store = newStore(vertx);
    await(store.open());
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("store operation did not complete within 10 s", e);
    }
  }

  /** The failure of a future, or null if it succeeded. */
  protected static Throwable failureOf(Future<?> future) {
    return failureOf(future, 10);
  }

  protected static Throwable failureOf(Future<?> future, int seconds) {
    return failing(future.<Throwable>map(v -> null).otherwise(t -> t), seconds);
  }

  /** Awaits a future that a known bug may leave incomplete, with a shorter timeout. */
  protected static <T> T failing(Future<T> future, int seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("store operation did not complete within " + seconds + " s", e);
    }
  }

  protected static NewJob newJob(String id, String command, long createdAt) {
    return new NewJob(id, command, Map.of("text", "prod now", "user_name", "alice", "channel_id", "c1"),
        responseUrlOf(id), createdAt);
  }

  protected static String responseUrlOf(String jobId) {
    return "https://chat.example/hooks/commands/" + jobId;
  }

  protected static NewDelivery dest(String destination, long createdAt) {
    return NewDelivery.toDestination(destination, "alerts", HELLO, createdAt, createdAt);
  }

  protected static NewDelivery toOps(String text, long createdAt) {
    return NewDelivery.toDestination("ops", "alerts", ChatMessage.text(null, text), createdAt, createdAt);
  }

  protected List<Delivery> pendingOldestFirst() {
    List<Delivery> newestFirst = new ArrayList<>(await(store.deliveries(DeliveryState.PENDING, 100_000)));
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  protected static List<Long> ids(List<Delivery> deliveries) {
    return deliveries.stream().map(Delivery::id).toList();
  }

  protected static Set<String> jobIds(Collection<JobRecord> jobs) {
    Set<String> out = new HashSet<>();
    jobs.forEach(j -> out.add(j.id()));
    return out;
  }

  /** A delivery read back by id, whatever its state (through the admin listing). */
  protected Future<Optional<Delivery>> delivery(long id) {
    List<Future<List<Delivery>>> states = new ArrayList<>();
    for (DeliveryState s : DeliveryState.values()) {
      states.add(store.deliveries(s, 100_000));
    }
    return Future.all(states).map(all -> states.stream().flatMap(f -> f.result().stream())
        .filter(d -> d.id() == id).findFirst());
  }
}
