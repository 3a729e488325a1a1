package dev.hookgate.protocol;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * Texts that may reach a log, the store, the admin API or a user, made safe: an outbound URL's
 * path holds secrets (a response_url's id, an incoming hook's key, an API key in a query), so
 * failures are named by kind, never by their exception message, and a server's error body has the
 * URL's path segments masked.
 */
public final class SafeText {
  private static final int MIN_SECRET_SEGMENT = 8;

  private SafeText() {}

  /** A network failure as a fixed phrase: exception messages carry the request path. */
  public static String failure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      if (t instanceof TimeoutException || name.contains("Timeout")) {
        return "timed out";
      }
      if (t instanceof java.net.ConnectException || name.contains("Connect")) {
        return "connection refused or unreachable";
      }
      if (t instanceof UnknownHostException || name.contains("DnsName") || name.contains("UnknownHost")
          || (t.getMessage() != null && t.getMessage().startsWith("Failed to resolve"))) {
        return "cannot resolve the host";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return "TLS handshake failed";
      }
      if (name.contains("Closed") || t instanceof java.io.IOException) {
        return "connection closed";
      }
    }
    return "request failed (" + e.getClass().getSimpleName() + ")";
  }

  /** {@code text} with every long path or query segment of {@code url} replaced by "…". */
  public static String scrub(String text, String url) {
    if (text == null || url == null) {
      return text;
    }
    String out = text;
    try {
      URI uri = URI.create(url);
      String secretParts = (uri.getRawPath() == null ? "" : uri.getRawPath()) + "/"
          + (uri.getRawQuery() == null ? "" : uri.getRawQuery().replace('&', '/').replace('=', '/'));
      for (String segment : secretParts.split("/")) {
        if (segment.length() >= MIN_SECRET_SEGMENT) {
          out = out.replace(segment, "…");
        }
      }
    } catch (IllegalArgumentException e) {
      return "(unreadable)";
    }
    return out;
  }
}
