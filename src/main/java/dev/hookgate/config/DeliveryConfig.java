package dev.hookgate.config;

import java.time.Duration;
import java.util.List;

/** {@code delivery.*}: the retry policy and outbound HTTP settings shared by every destination. */
public record DeliveryConfig(
    List<Duration> backoff,
    int maxAttempts,
    Duration maxAge,
    Duration requestTimeout,
    Duration connectTimeout) {

  public DeliveryConfig {
    backoff = List.copyOf(backoff);
  }
}
