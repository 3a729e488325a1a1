package dev.hookgate.config;

import java.time.ZoneId;

/**
 * {@code schedules.<name>}: a job run on a cron (the seed's "daily report"), its result posted to
 * a destination. {@code job} is the command-shaped form the job workers run: named
 * {@code schedule:<name>}, no response_url, its reply's fallback is the destination.
 * {@code catchUp}: how many runs missed while the gateway was stopped are made up at start (at
 * most one by default, never a burst).
 */
public record ScheduleConfig(String name, String cron, ZoneId zone, int catchUp, CommandConfig job) {
  public static final String PREFIX = "schedule:";
}
