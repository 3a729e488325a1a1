package dev.hookgate.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack request signing: {@code X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + rawBody))},
 * with {@code X-Slack-Request-Timestamp} at most 300 s from now in either direction. Compared in
 * constant time over the raw body bytes, never a re-encoded form.
 *
 * @see <a href="https://docs.slack.dev/authentication/verifying-requests-from-slack">Verifying requests from Slack</a>
 */
public final class SlackSignature {
  public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Slack-Signature";
  public static final long MAX_SKEW_SECONDS = 300;

  /** Why a request is or is not authentic; the names are safe to log. */
  public enum Verdict { VALID, MISSING_HEADERS, BAD_TIMESTAMP, STALE_TIMESTAMP, BAD_SIGNATURE }

  private SlackSignature() {}

  /** {@code v0=<hex>} for a timestamp and body. */
  public static String sign(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      // 1. the base string: version, timestamp and raw body joined by ':'
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      // 2. lowercase hex of the HMAC, prefixed by the version
      return "v0=" + java.util.HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public static Verdict verify(String secret, String timestamp, String signature, byte[] body, long nowSeconds) {
    if (timestamp == null || signature == null) {
      return Verdict.MISSING_HEADERS;
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Verdict.BAD_TIMESTAMP;
    }
    if (Math.abs(nowSeconds - ts) > MAX_SKEW_SECONDS) {
      return Verdict.STALE_TIMESTAMP;
    }
    if (!signature.startsWith("v0=")) {
      return Verdict.BAD_SIGNATURE;
    }
    byte[] expected = sign(secret, timestamp.trim(), body).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8))
        ? Verdict.VALID : Verdict.BAD_SIGNATURE;
  }
}
