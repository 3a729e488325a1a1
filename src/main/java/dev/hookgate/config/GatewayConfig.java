package dev.hookgate.config;

import java.util.Map;

/** The whole, validated configuration. Immutable; a reload builds a new one. */
public record GatewayConfig(
    HttpConfig http,
    StoreConfig store,
    AdminConfig admin,
    ResponseUrlConfig responseUrl,
    JobsConfig jobs,
    DeliveryConfig delivery,
    ShutdownConfig shutdown,
    Map<String, DestinationConfig> destinations,
    Map<String, CommandConfig> commands,
    Map<String, HookConfig> hooks,
    Map<String, ScheduleConfig> schedules,
    LogConfig log) {

  public GatewayConfig {
    destinations = Map.copyOf(destinations);
    commands = Map.copyOf(commands);
    hooks = Map.copyOf(hooks);
    schedules = Map.copyOf(schedules);
  }

  /** This config, keeping the settings bound at start (http, store, jobs, log) of the running one. */
  public GatewayConfig reloadedOver(GatewayConfig running) {
    return new GatewayConfig(running.http(), running.store(), admin, responseUrl, running.jobs(), delivery, shutdown,
        destinations, commands, hooks, schedules, running.log());
  }

  /** What the job workers run under a job's name: a command, or a schedule's job ({@code schedule:<name>}). */
  public java.util.Optional<CommandConfig> runnable(String name) {
    if (name.startsWith(ScheduleConfig.PREFIX)) {
      return java.util.Optional.ofNullable(schedules.get(name.substring(ScheduleConfig.PREFIX.length())))
          .map(ScheduleConfig::job);
    }
    return java.util.Optional.ofNullable(commands.get(name));
  }

  /** Every command and scheduled job, for the dispatcher. */
  public java.util.List<CommandConfig> runnables() {
    java.util.List<CommandConfig> all = new java.util.ArrayList<>(commands.values());
    schedules.values().forEach(s -> all.add(s.job()));
    return all;
  }
}
