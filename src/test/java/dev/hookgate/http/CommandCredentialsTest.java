package dev.hookgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hookgate.config.CommandConfig;
import dev.hookgate.protocol.SlackSignature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandCredentialsTest {
  static final String TOKEN = "xdt3bq8kyjgbxfyhsnd4c1nqwe";
  static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final long NOW = 1_764_316_800;
  static final byte[] BODY = "text=hi&user_id=u".getBytes(StandardCharsets.UTF_8);

  static CommandConfig command(String token, String secret) {
    return new CommandConfig("echo", Optional.ofNullable(token), Optional.ofNullable(secret), List.of(), "", null, null,
        1, 1, true);
  }

  static CommandCredentials presented(String signature, String authorization, String field) {
    return new CommandCredentials(signature, signature == null ? null : String.valueOf(NOW), authorization,
        Optional.ofNullable(field), BODY);
  }

  @Test
  void theTokenInTheHeaderOrTheFieldIsEnoughEvenBesideAnotherCredential() {
    CommandConfig c = command(TOKEN, null);
    assertEquals(Optional.empty(), presented(null, "Token " + TOKEN, null).refusal(c, NOW));
    assertEquals(Optional.empty(), presented(null, null, TOKEN).refusal(c, NOW));
    assertEquals(Optional.empty(), presented(null, "Bearer oauth-access-token", TOKEN).refusal(c, NOW),
        "Mattermost's outgoing OAuth header beside the form token");
    assertEquals(Optional.of("invalid token"), presented(null, "Token wrong", "wrong too").refusal(c, NOW));
    assertEquals(Optional.of("missing token (form field token or Authorization: Token <t>)"),
        presented(null, "Basic x", "").refusal(c, NOW));
  }

  @Test
  void aSlackSignatureIsCheckedOverTheSignedBytesAndTheTokenStillCountsWhenConfigured() {
    String valid = SlackSignature.sign(SECRET, String.valueOf(NOW), BODY);
    assertEquals(Optional.empty(), presented(valid, null, null).refusal(command(null, SECRET), NOW));
    assertEquals(Optional.of("invalid Slack signature"), presented("v0=00", null, null).refusal(command(null, SECRET), NOW));
    assertEquals(Optional.of("Slack request timestamp is more than 5 minutes from now"),
        presented(valid, null, null).refusal(command(null, SECRET), NOW + 301));
    assertEquals(Optional.of("missing Slack signature headers"), presented(null, null, null).refusal(command(null, SECRET), NOW));
    assertEquals(Optional.empty(), presented("v0=00", null, TOKEN).refusal(command(TOKEN, SECRET), NOW),
        "with both configured, the token is enough when the signature fails");
    assertEquals(Optional.of("invalid Slack signature"), presented("v0=00", null, "wrong").refusal(command(TOKEN, SECRET), NOW));
  }
}
