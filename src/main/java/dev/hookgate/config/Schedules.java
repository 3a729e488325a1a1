package dev.hookgate.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Cron expressions (Unix, five fields) through cron-utils: parsing and the next run after a time. */
public final class Schedules {
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private Schedules() {}

  /** Throws IllegalArgumentException when the expression is not valid. */
  public static Cron parse(String expression) {
    return PARSER.parse(expression).validate();
  }

  /** The first run strictly after {@code afterMillis}, in the schedule's time zone. */
  public static Optional<Long> next(String expression, ZoneId zone, long afterMillis) {
    return next(executionTime(expression), zone, afterMillis);
  }

  /** A parsed expression, to compute many runs without parsing it again (catch-up after a long stop). */
  public static ExecutionTime executionTime(String expression) {
    return ExecutionTime.forCron(parse(expression));
  }

  /** The first run of {@code time} strictly after {@code afterMillis}, in the time zone {@code zone}. */
  public static Optional<Long> next(ExecutionTime time, ZoneId zone, long afterMillis) {
    return time.nextExecution(ZonedDateTime.ofInstant(Instant.ofEpochMilli(afterMillis), zone))
        .map(t -> t.toInstant().toEpochMilli());
  }

  /**
   * The latest runs strictly after {@code lastMillis} and at or before {@code nowMillis}, at most
   * {@code max} of them, oldest first: found backward from now, so that a long stop costs
   * {@code max} steps, not one per missed run.
   */
  public static List<Long> missed(ExecutionTime time, ZoneId zone, long lastMillis, long nowMillis, int max) {
    Deque<Long> runs = new ArrayDeque<>();
    Optional<Long> t = previous(time, zone, nowMillis + 1); // a run exactly at now counts
    while (t.isPresent() && t.get() > lastMillis && runs.size() < max) {
      if (t.get() <= nowMillis) {
        runs.addFirst(t.get());
      }
      t = previous(time, zone, t.get());
    }
    return List.copyOf(runs);
  }

  private static Optional<Long> previous(ExecutionTime time, ZoneId zone, long beforeMillis) {
    return time.lastExecution(ZonedDateTime.ofInstant(Instant.ofEpochMilli(beforeMillis), zone))
        .map(t -> t.toInstant().toEpochMilli());
  }
}
