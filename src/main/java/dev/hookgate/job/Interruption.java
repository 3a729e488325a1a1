package dev.hookgate.job;

import dev.hookgate.config.CommandConfig;
import dev.hookgate.config.GatewayConfig;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.NewDelivery;
import java.util.List;

/**
 * What becomes of a job whose node stopped while it ran ({@code rerun-after-crash}), decided here
 * once: the recovery at start (and, on a shared store, of a node that died) and the worker that
 * gets such a job back for another attempt both ask it, and the user reads the same words.
 */
public final class Interruption {
  /** What the user is told, in the job's failure reply. */
  public static final String REASON =
      "it was interrupted (the gateway running it stopped) and is not re-run (rerun-after-crash: false)";

  private Interruption() {}

  /** Whether an interrupted job of this command runs again; one no longer configured does (its worker reports it). */
  public static boolean rerun(GatewayConfig config, String command) {
    return config.runnable(command).map(CommandConfig::rerunAfterCrash).orElse(true);
  }

  /** Whether this attempt of a job must not run: it comes back after an interruption, and its command says so. */
  static boolean refused(CommandConfig command, JobRecord job) {
    return job.attempts() > 1 && !command.rerunAfterCrash();
  }

  /** The failure reply that tells the user (none when the command is no longer configured). */
  public static List<NewDelivery> notice(GatewayConfig config, JobRecord job, long now) {
    return config.runnable(job.command())
        .map(c -> Replies.failure(c, job, REASON, "", config.responseUrl().maxPostChars(), now))
        .orElse(List.of());
  }
}
