package dev.hookgate.outbound;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why an outbound request got no answer, by kind (never by the exception's message: it carries
 * the request's path, and a response_url's path is a secret). Whether the request may have reached
 * the server decides whether a response_url use was spent.
 */
public enum FailureKind {
  /** The TCP connection was refused, unreachable or not made in time: nothing was sent. */
  CONNECT("connection refused or unreachable", false),
  /** The host name did not resolve: nothing was sent. */
  DNS("cannot resolve the host", false),
  /** The TLS handshake failed: no HTTP request was read by the server. */
  TLS("TLS handshake failed", false),
  /**
   * No connection of the pool came within the deadline (or too many requests waited for one): the
   * request was never written.
   */
  NOT_SENT("not sent: no connection to the server in time", false),
  /** The request was sent and no complete answer came within the deadline. */
  TIMEOUT("timed out", true),
  /** The connection closed after the request was (perhaps) sent. */
  CLOSED("connection closed", true),
  /** Anything else: counted as perhaps having reached the server. */
  OTHER("request failed", true);

  private final String phrase;
  private final boolean mayHaveReachedTheServer;

  FailureKind(String phrase, boolean mayHaveReachedTheServer) {
    this.phrase = phrase;
    this.mayHaveReachedTheServer = mayHaveReachedTheServer;
  }

  /** A fixed phrase for logs, the store and users. */
  public String phrase() {
    return phrase;
  }

  /** False when the server cannot have seen the HTTP request (connect, DNS, TLS failures). */
  public boolean mayHaveReachedTheServer() {
    return mayHaveReachedTheServer;
  }

  /** The kind of a failure before the request was written: it cannot have reached the server. */
  public static FailureKind notSent(Throwable e) {
    FailureKind kind = of(e);
    return kind.mayHaveReachedTheServer() ? NOT_SENT : kind;
  }

  /** The kind of a failure, from its type along the cause chain (a connect timeout is a connect failure). */
  public static FailureKind of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      if (t instanceof ConnectException || name.equals("ConnectTimeoutException")) {
        return CONNECT;
      }
      if (t instanceof UnknownHostException || name.contains("DnsName") || name.contains("UnknownHost")) {
        return DNS;
      }
      if (t instanceof SSLException) {
        return TLS;
      }
      if (t instanceof TimeoutException || name.contains("Timeout")) {
        return TIMEOUT;
      }
      if (name.contains("Closed") || name.contains("Reset") || t instanceof java.io.IOException) {
        return CLOSED;
      }
    }
    return OTHER;
  }
}
