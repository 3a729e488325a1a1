package dev.hookgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code http.*}: where the gateway listens and what it accepts.
 *
 * @param maxHeaderBytes the request line and headers together; larger requests get 431 (or 400)
 * @param idleTimeout a connection that sends and receives nothing this long is closed
 * @param requestTimeout a request whose head and body have not fully arrived this long after it
 *     started (or, on a kept-alive connection, after the previous answer plus the idle timeout) is
 *     refused with 408 and its connection closed: the slow-request (slowloris) guard
 * @param tls the PEM certificate chain and private key to serve HTTPS with; empty: plain HTTP
 * @param host the one address the server binds
 * @param authFailuresPerMinute from {@code security.auth-failures-per-minute}: after this many
 *     authentication failures within a minute, an address's requests with failing credentials get
 *     429 until the minute has passed; valid credentials are always served (0: no throttling)
 */
public record HttpConfig(String host, int port, int maxBodyBytes, int maxFormFields, int maxHeaderBytes,
    Duration idleTimeout, Duration requestTimeout, Optional<Tls> tls, int authFailuresPerMinute) {
  public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_AUTH_FAILURES_PER_MINUTE = 20;

  /** {@code http.tls}: paths of PEM files. */
  public record Tls(String certPath, String keyPath) {}

  /** The defaults for everything but the four basic settings. */
  public HttpConfig(String host, int port, int maxBodyBytes, int maxFormFields) {
    this(host, port, maxBodyBytes, maxFormFields, DEFAULT_MAX_HEADER_BYTES, DEFAULT_IDLE_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT, Optional.empty(), DEFAULT_AUTH_FAILURES_PER_MINUTE);
  }
}
