package dev.hookgate.config;

import java.util.Optional;

/**
 * {@code commands.<name>.reply}: how a job's result is posted. {@code template} is Mustache over
 * the command's fields and the job's result; {@code fallback} names the destination used once the
 * response_url is spent or expired.
 */
public record ReplySpec(
    String responseType,
    Optional<String> template,
    Optional<String> fallback,
    Optional<String> username,
    Optional<String> iconUrl) {}
