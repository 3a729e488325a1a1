package dev.hookgate.config;

import java.time.Duration;
import java.util.List;

/** {@code delivery.*}: the retry policy and outbound HTTP settings shared by every destination;
 * {@code max-connections-per-host}: the outbound pool's connections to one host. */
public record DeliveryConfig(
    List<Duration> backoff,
    int maxAttempts,
    Duration maxAge,
    Duration requestTimeout,
    Duration connectTimeout,
    int maxConnectionsPerHost) {

  public DeliveryConfig {
    backoff = List.copyOf(backoff);
  }

  public DeliveryConfig(List<Duration> backoff, int maxAttempts, Duration maxAge, Duration requestTimeout,
      Duration connectTimeout) {
    this(backoff, maxAttempts, maxAge, requestTimeout, connectTimeout,
        dev.hookgate.outbound.OutboundClient.DEFAULT_MAX_CONNECTIONS_PER_HOST);
  }
}
