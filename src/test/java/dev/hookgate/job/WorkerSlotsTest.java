package dev.hookgate.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                    "echo": {"token": "t", "concurrency": 8, "job": {"http": {"url": "https://api.example.org/echo"}}}}}
      """), Map.of()).runnables().stream().toList();

  static JobRecord job(String id, String command) {
    return new JobRecord(id, command, Map.of(), "", JobState.RUNNING, 1, 0L, 0L, null, null);
  }

  @Test
  void aLongJobTakesOneSlotAndQuickJobsGetTheOthers() {
    WorkerSlots slots = new WorkerSlots();
    // claimed ahead: up to 4 more than run in all, up to each command's concurrency more than run
    assertEquals(Map.of("report", 2, "echo", 8), slots.claimable(COMMANDS, 4));
    assertEquals(List.of(job("r1", "report")), slots.admit(List.of(job("r1", "report")), COMMANDS, 4));
    List<JobRecord> quick = List.of(job("e1", "echo"), job("e2", "echo"), job("e3", "echo"));
    assertEquals(quick, slots.admit(quick, COMMANDS, 4), "three slots stay for echo while the report runs");
    assertEquals(Map.of("report", 1, "echo", 4), slots.claimable(COMMANDS, 4));
    // a quick job ends: its slot goes to echo, not to a second report (the report's concurrency is 1)
    slots.admit(List.of(job("r2", "report"), job("e4", "echo")), COMMANDS, 4);
    assertEquals(List.of(job("e4", "echo")), slots.release("e1", COMMANDS, 4),
        "a report waiting for its concurrency does not hold back the echo behind it");
    assertEquals(List.of(job("r2", "report")), slots.release("r1", COMMANDS, 4));
  }

  @Test
  void jobsClaimedAheadWaitForTheFirstSlotThatFreesInClaimOrder() {
    WorkerSlots slots = new WorkerSlots();
    assertEquals(Map.of("report", 2, "echo", 4), slots.claimable(COMMANDS, 2));
    List<JobRecord> started = slots.admit(List.of(job("r1", "report"), job("e1", "echo"), job("e2", "echo"),
        job("e3", "echo")), COMMANDS, 2);
    assertEquals(List.of(job("r1", "report"), job("e1", "echo")), started);
    assertEquals(Map.of(), slots.claimable(COMMANDS, 2), "two wait for two slots: nothing more is claimed");
    assertEquals(4, slots.leased().size(), "the waiting jobs' leases are renewed too");
    assertEquals(List.of("e2", "e3"), slots.waiting());
    assertEquals(List.of(job("e2", "echo")), slots.release("e1", COMMANDS, 2));
    assertEquals(List.of(job("e3", "echo")), slots.release("e2", COMMANDS, 2));
    assertEquals(List.of(), slots.release("e3", COMMANDS, 2));
    assertEquals(List.of(), slots.release("r1", COMMANDS, 2));
    assertEquals(true, slots.idle());
  }

  @Test
  void aCommandNotReRunAfterACrashIsClaimedOnlyForTheSlotsFreeNow() {
    List<CommandConfig> commands = ConfigLoader.resolve(new JsonObject("""
        {"security": {"allow-short-secrets": true},
         "commands": {"deploy": {"token": "t", "concurrency": 2, "rerun-after-crash": false, "job": {"exec": ["true"]}},
                      "echo": {"token": "t", "concurrency": 8, "job": {"http": {"url": "https://api.example.org/echo"}}}}}
        """), Map.of()).runnables().stream().toList();
    WorkerSlots slots = new WorkerSlots();
    // a job claimed counts as interrupted if the node dies, started or not: none waits claimed
    assertEquals(Map.of("deploy", 2, "echo", 6), slots.claimable(commands, 3));
    assertEquals(List.of(job("e1", "echo"), job("e2", "echo")),
        slots.admit(List.of(job("e1", "echo"), job("e2", "echo")), commands, 3));
    assertEquals(Map.of("deploy", 1, "echo", 4), slots.claimable(commands, 3), "one slot free: one deploy");
    slots.admit(List.of(job("d1", "deploy"), job("e3", "echo")), commands, 3);
    assertEquals(List.of("e3"), slots.waiting());
    assertEquals(Map.of("echo", 2), slots.claimable(commands, 3), "no slot free: no deploy is claimed ahead");
  }

  @Test
  void fewerWorkersAfterAReloadStartNothingUntilBelowTheNewCount() {
    WorkerSlots slots = new WorkerSlots();
    slots.admit(List.of(job("e1", "echo"), job("e2", "echo"), job("e3", "echo")), COMMANDS, 3);
    assertEquals(List.of(), slots.admit(List.of(job("e4", "echo")), COMMANDS, 3), "three slots, three run");
    assertEquals(List.of(), slots.release("e1", COMMANDS, 2), "two run, two allowed now");
    assertEquals(List.of(job("e4", "echo")), slots.release("e2", COMMANDS, 2));
  }

  @Test
  void aTemplateJobTakesNoSlotAndStartsAtOnceUnlessJobsOfItsCommandWaitAhead() {
    List<CommandConfig> commands = ConfigLoader.resolve(new JsonObject("""
        {"security": {"allow-short-secrets": true},
         "commands": {"report": {"token": "t", "concurrency": 1, "job": {"exec": ["sleep", "20"]}},
                      "hello": {"token": "t", "concurrency": 1, "job": {"template": "hi {{text}}"}}}}
        """), Map.of()).runnables().stream().toList();
    CommandConfig report = commands.stream().filter(c -> c.name().equals("report")).findFirst().orElseThrow();
    CommandConfig hello = commands.stream().filter(c -> c.name().equals("hello")).findFirst().orElseThrow();
    WorkerSlots slots = new WorkerSlots();

    assertTrue(slots.reserve("r1", report, 1));
    assertFalse(slots.reserve("r2", report, 1), "the one slot is busy");
    assertTrue(slots.reserve("h1", hello, 1), "a template job renders at once: no slot");
    assertTrue(slots.reserve("h2", hello, 1), "nor its command's concurrency");
    assertEquals(4 - 1, slots.running(), "three run: one report, two templates");
    // claimed from the queue, template jobs start at once whatever the slots
    assertEquals(List.of(job("h3", "hello")), slots.admit(List.of(job("h3", "hello"), job("r3", "report")), commands, 1));
    assertFalse(slots.reserve("r4", report, 1), "a report claimed ahead waits: a new one goes behind it");
    assertEquals(List.of(), slots.release("h1", commands, 1), "a template job frees no slot");
    assertEquals(List.of(job("r3", "report")), slots.release("r1", commands, 1));
  }
}
