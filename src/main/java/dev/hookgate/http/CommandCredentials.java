package dev.hookgate.http;

import dev.hookgate.config.CommandConfig;
import dev.hookgate.protocol.SlackSignature;
import dev.hookgate.protocol.TokenCheck;
import java.util.Optional;

/**
 * What a slash-command request presents to prove where it comes from, and whether that is enough
 * for a command: a valid Slack signature, or the command's token in the {@code Authorization}
 * header or the {@code token} field (any one that matches is enough, since Mattermost's outgoing
 * OAuth puts another credential in the header). Pure: no I/O, the time given.
 *
 * @param signedBytes what a Slack signature covers: the raw body of a POST, the raw query of a GET
 */
record CommandCredentials(String slackSignature, String slackTimestamp, String authorization,
    Optional<String> tokenField, byte[] signedBytes) {

  /** Empty when the request is authentic for {@code command}; otherwise why not (safe to show). */
  Optional<String> refusal(CommandConfig command, long nowSeconds) {
    Optional<String> signatureProblem = Optional.empty();
    if (command.slackSigningSecret().isPresent() && (slackSignature != null || command.token().isEmpty())) {
      signatureProblem = switch (SlackSignature.verify(command.slackSigningSecret().get(), slackTimestamp,
          slackSignature, signedBytes, nowSeconds)) {
        case VALID -> Optional.empty();
        case MISSING_HEADERS -> Optional.of("missing Slack signature headers");
        case BAD_TIMESTAMP -> Optional.of("invalid Slack request timestamp");
        case STALE_TIMESTAMP -> Optional.of("Slack request timestamp is more than 5 minutes from now");
        case BAD_SIGNATURE -> Optional.of("invalid Slack signature");
      };
      if (signatureProblem.isEmpty() || command.token().isEmpty()) {
        return signatureProblem;
      }
    }
    Optional<String> header = TokenCheck.presented(authorization);
    Optional<String> field = tokenField.filter(t -> !t.isEmpty());
    if (header.isEmpty() && field.isEmpty()) {
      return signatureProblem.or(() -> Optional.of("missing token (form field token or Authorization: Token <t>)"));
    }
    String expected = command.token().orElse(null);
    boolean matches = header.map(t -> TokenCheck.matches(expected, t)).orElse(false)
        | field.map(t -> TokenCheck.matches(expected, t)).orElse(false);
    return matches ? Optional.empty() : signatureProblem.or(() -> Optional.of("invalid token"));
  }
}
