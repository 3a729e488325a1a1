package dev.hookgate.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Mattermost's command token: sent both as the form field {@code token} and as
 * {@code Authorization: Token <t>}. Compared in constant time.
 */
public final class TokenCheck {
  private TokenCheck() {}

  /** The token of an {@code Authorization: Token <t>} (or {@code Bearer <t>}) header; empty for any other. */
  public static Optional<String> presented(String authorizationHeader) {
    if (authorizationHeader != null) {
      String h = authorizationHeader.trim();
      int sp = h.indexOf(' ');
      if (sp > 0) {
        String scheme = h.substring(0, sp);
        if (scheme.equalsIgnoreCase("Token") || scheme.equalsIgnoreCase("Bearer")) {
          return Optional.of(h.substring(sp + 1).trim());
        }
      }
    }
    return Optional.empty();
  }

  /** Constant-time comparison (for equal lengths; the length itself is not secret). */
  public static boolean matches(String expected, String presented) {
    if (expected == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }
}
