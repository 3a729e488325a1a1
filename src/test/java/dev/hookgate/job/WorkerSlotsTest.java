package dev.hookgate.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hookgate.config.CommandConfig;
import dev.hookgate.config.ConfigLoader;
import dev.hookgate.store.JobRecord;
import dev.hookgate.store.JobState;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dispatcher's slot decisions, without Vert.x. */
class WorkerSlotsTest {
  static final List<CommandConfig> COMMANDS = ConfigLoader.resolve(new JsonObject("""
      {"security": {"allow-short-secrets": true},
       "commands": {"report": {"token": "t", "concurrency": 1, "job": {"exec": ["sleep", "20"]}},
                    "echo": {"token": "t", "concurrency": 8, "job": {"template": "{{text}}"}}}}
      """), Map.of()).runnables().stream().toList();

  static JobRecord job(String id, String command) {
    return new JobRecord(id, command, Map.of(), "", JobState.RUNNING, 1, 0L, 0L, null, null);
  }

  @Test
  void aLongJobTakesOneSlotAndQuickJobsGetTheOthers() {
    WorkerSlots slots = new WorkerSlots();
    assertEquals(Map.of("report", 1, "echo", 4), slots.claimable(COMMANDS, 4));
    assertEquals(List.of(job("r1", "report")), slots.admit(List.of(job("r1", "report")), 4));
    // the report's concurrency is reached; three slots stay for echo
    assertEquals(Map.of("echo", 3), slots.claimable(COMMANDS, 4));
    List<JobRecord> quick = List.of(job("e1", "echo"), job("e2", "echo"), job("e3", "echo"));
    assertEquals(quick, slots.admit(quick, 4));
    assertEquals(Map.of(), slots.claimable(COMMANDS, 4));
    // a quick job ends: its slot is free again, for echo only
    assertEquals(List.of(), slots.release("e1", 4));
    assertEquals(Map.of("echo", 1), slots.claimable(COMMANDS, 4));
  }

  @Test
  void jobsClaimedBeyondTheFreeSlotsWaitForTheFirstSlotThatFreesInClaimOrder() {
    WorkerSlots slots = new WorkerSlots();
    assertEquals(Map.of("report", 1, "echo", 2), slots.claimable(COMMANDS, 2));
    // the store claims per command: three jobs for two slots
    List<JobRecord> started = slots.admit(List.of(job("r1", "report"), job("e1", "echo"), job("e2", "echo")), 2);
    assertEquals(List.of(job("r1", "report"), job("e1", "echo")), started);
    assertEquals(Map.of(), slots.claimable(COMMANDS, 2), "nothing more is claimed while a job waits");
    assertEquals(3, slots.leased().size(), "the waiting job's lease is renewed too");
    assertEquals(List.of(job("e2", "echo")), slots.release("e1", 2));
    assertEquals(List.of(), slots.release("e2", 2));
    assertEquals(Map.of("echo", 1), slots.claimable(COMMANDS, 2));
    assertEquals(List.of(), slots.release("r1", 2));
    assertEquals(true, slots.idle());
  }

  @Test
  void fewerWorkersAfterAReloadStartNothingUntilBelowTheNewCount() {
    WorkerSlots slots = new WorkerSlots();
    slots.admit(List.of(job("e1", "echo"), job("e2", "echo"), job("e3", "echo")), 4);
    assertEquals(Map.of(), slots.claimable(COMMANDS, 2));
    slots.release("e1", 2);
    assertEquals(Map.of(), slots.claimable(COMMANDS, 2));
    slots.release("e2", 2);
    assertEquals(Map.of("report", 1, "echo", 1), slots.claimable(COMMANDS, 2));
  }
}
