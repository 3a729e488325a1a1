package dev.hookgate.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
}
