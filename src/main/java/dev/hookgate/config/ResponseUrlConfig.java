package dev.hookgate.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * {@code response-url.*}: where a command's response_url may point (SSRF guard) and how long a
 * post through it may be.
 */
public record ResponseUrlConfig(List<AllowedHost> allowedHosts, int maxPostChars) {

  public ResponseUrlConfig {
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** One entry of {@code allowed-hosts}: {@code host}, {@code host:port} or {@code scheme://host[:port]}. */
  public record AllowedHost(String scheme, String host, int port) {
    /** {@code port} -1 means any port. Without a scheme, HTTPS is required. */
    public static AllowedHost parse(String entry) {
      String s = entry.trim().toLowerCase(Locale.ROOT);
      String scheme = "https";
      int sep = s.indexOf("://");
      if (sep >= 0) {
        scheme = s.substring(0, sep);
        s = s.substring(sep + 3);
      }
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("scheme must be http or https");
      }
      if (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      int port = -1;
      int colon = s.lastIndexOf(':');
      if (colon > 0 && s.indexOf(']') < colon) {
        try {
          port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad port");
        }
        s = s.substring(0, colon);
      }
      if (s.isEmpty() || s.contains("/")) {
        throw new IllegalArgumentException("expected host, host:port or scheme://host[:port]");
      }
      return new AllowedHost(scheme, s, port);
    }

    public boolean allows(URI uri) {
      if (uri.getScheme() == null || uri.getHost() == null) {
        return false;
      }
      int uriPort = uri.getPort() >= 0 ? uri.getPort()
          : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
      return uri.getScheme().equalsIgnoreCase(scheme)
          && uri.getHost().equalsIgnoreCase(host)
          && (port < 0 || port == uriPort)
          && uri.getUserInfo() == null;
    }
  }

  /** Whether the gateway may POST to this response_url. */
  public boolean allows(String responseUrl) {
    URI uri;
    try {
      uri = new URI(responseUrl);
    } catch (Exception e) {
      return false;
    }
    return allowedHosts.stream().anyMatch(h -> h.allows(uri));
  }
}
