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
    Map<String, HookConfig> hooks) {

  public GatewayConfig {
    destinations = Map.copyOf(destinations);
    commands = Map.copyOf(commands);
    hooks = Map.copyOf(hooks);
  }
}
