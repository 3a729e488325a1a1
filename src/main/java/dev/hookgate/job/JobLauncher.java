package dev.hookgate.job;

import dev.hookgate.Addresses;
import dev.hookgate.config.CommandConfig;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.store.JobRecord;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands jobs to the job workers and keeps their slots ({@link WorkerSlots}). A job accepted on this
 * node while a slot is free for its command starts from memory: {@link #reserve} before its write,
 * {@link #start} once it is stored running, leased to this node. Jobs claimed from the queue come
 * from the {@link JobDispatcher}. A job travels to its worker as the object itself (a local
 * event-bus codec: nothing encoded or copied); the worker's answer frees its slot for the next.
 * Thread-safe: the HTTP event loops, the dispatcher and the workers' answers call it.
 */
public final class JobLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);
  /** No reply deadline of its own: the job's timeout bounds it, and its lease is renewed meanwhile. */
  private static final DeliveryOptions RUN = new DeliveryOptions().setSendTimeout(7L * 24 * 3_600_000)
      .setLocalOnly(true);

  private final Vertx vertx;
  private final Supplier<GatewayConfig> config;
  private final WorkerSlots slots = new WorkerSlots();
  private volatile Runnable slotFreed = () -> {};
  private volatile boolean stopping;

  public JobLauncher(Vertx vertx, Supplier<GatewayConfig> config) {
    this.vertx = vertx;
    this.config = config;
    try {
      vertx.eventBus().registerDefaultCodec(JobRecord.class, new LocalJobCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another gateway on the same Vert.x registered it
    }
  }

  /**
   * A job just accepted: takes a worker slot for it if one is free for its command now (and none
   * of its command's jobs waits ahead). True: store it running, leased to this node, then
   * {@link #start} it; false: queue it for a claim.
   */
  public boolean reserve(String jobId, CommandConfig command) {
    return !stopping && slots.reserve(jobId, command, workers());
  }

  /** The reserved job is stored running, leased to this node: it starts now. */
  public void start(JobRecord job) {
    slots.started(job);
    dispatch(job);
  }

  /** The reserved job was queued after all, or not stored: its slot is free again. */
  public void unreserve(String jobId) {
    free(jobId);
  }

  /** Called (on any thread) when a slot is freed: the dispatcher may claim for it. */
  void onSlotFreed(Runnable then) {
    slotFreed = then;
  }

  /** What a claim may take now, per command (see {@link WorkerSlots#claimable}). */
  Map<String, Integer> claimable() {
    return stopping ? Map.of() : slots.claimable(config.get().runnables(), workers());
  }

  /** Jobs a claim leased to this node: those a slot allows start now, the others wait for one. */
  void claimed(List<JobRecord> jobs) {
    slots.admit(jobs, config.get().runnables(), workers()).forEach(this::dispatch);
  }

  /** No job starts any more; those running go on. */
  void stopping() {
    stopping = true;
  }

  Set<String> leased() {
    return slots.leased();
  }

  List<String> waiting() {
    return slots.waiting();
  }

  int running() {
    return slots.running();
  }

  boolean idle() {
    return slots.idle();
  }

  private int workers() {
    return config.get().jobs().workerInstances();
  }

  private void dispatch(JobRecord job) {
    LOG.info("job {} command={} started (attempt {})", job.id(), job.command(), job.attempts());
    vertx.eventBus().request(Addresses.JOBS_RUN, job, RUN).onComplete(r -> {
      if (r.failed()) {
        LOG.warn("job {} got no answer from its worker: {}; its lease will expire", job.id(), r.cause().getMessage());
      }
      free(job.id());
    });
  }

  private void free(String jobId) {
    Collection<CommandConfig> commands = config.get().runnables();
    slots.release(jobId, commands, stopping ? 0 : workers()).forEach(this::dispatch);
    if (!stopping) {
      slotFreed.run();
    }
  }

  /** A job on the local event bus: the record itself (immutable), never encoded. */
  static final class LocalJobCodec implements MessageCodec<JobRecord, JobRecord> {
    static final String NAME = "hookgate-local-job";

    @Override
    public void encodeToWire(Buffer buffer, JobRecord job) {
      throw new IllegalStateException("jobs travel on the local event bus only");
    }

    @Override
    public JobRecord decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalStateException("jobs travel on the local event bus only");
    }

    @Override
    public JobRecord transform(JobRecord job) {
      return job;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
