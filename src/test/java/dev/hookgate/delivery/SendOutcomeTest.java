package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SendOutcomeTest {
  private static final long NOW = 1_764_316_800_000L;
  private static final String INVALID_WEBHOOK = "{\"id\":\"app.command_webhook.try_use.invalid\","
      + "\"message\":\"Invalid webhook.\",\"detailed_error\":\"\",\"request_id\":\"r\",\"status_code\":400}";

  private static SendOutcome classify(int status, String body, boolean responseUrl) {
    return SendOutcome.classify(status, null, body, responseUrl, NOW);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void twoHundredsAreDelivered(int status) {
    assertInstanceOf(SendOutcome.Delivered.class, classify(status, "ok", false));
    assertInstanceOf(SendOutcome.Delivered.class, classify(status, "ok", true));
  }

  @Test
  void reasonIsTheStatusAndTheBody() {
    assertEquals(new SendOutcome.Delivered("HTTP 200: ok"), classify(200, "ok", false));
    assertEquals(new SendOutcome.Delivered("HTTP 200"), classify(200, "", false));
    assertEquals(new SendOutcome.Delivered("HTTP 200"), classify(200, null, false));
    assertEquals(new SendOutcome.ServerError(502, "HTTP 502"), classify(502, " \n ", false));
  }

  @Test
  void reasonBodyIsOneLineAndAbbreviated() {
    assertEquals("HTTP 500: a b c", classify(500, "  a\n\tb   c \n", false).reason());
    String reason = classify(500, "x".repeat(400), false).reason();
    assertEquals("HTTP 500: " + "x".repeat(300) + "…", reason);
    assertEquals("HTTP 500: " + "y".repeat(300), classify(500, "y".repeat(300), false).reason());
  }

  @Test
  void tooManyRequestsWaitsForRetryAfter() {
    assertEquals(new SendOutcome.RateLimited(7000, "HTTP 429: limit exceeded"),
        SendOutcome.classify(429, "7", "limit exceeded\n", false, NOW));
  }

  @Test
  void tooManyRequestsWithoutRetryAfterWaitsOneSecond() {
    assertEquals(new SendOutcome.RateLimited(1000, "HTTP 429"), SendOutcome.classify(429, null, null, true, NOW));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {500, 502, 503, 504, 599, 408})
  void serverErrorsAndRequestTimeoutAreRetried(int status) {
    assertInstanceOf(SendOutcome.ServerError.class, classify(status, "oops", false));
    assertInstanceOf(SendOutcome.ServerError.class, classify(status, INVALID_WEBHOOK, true));
  }

  @ParameterizedTest(name = "HTTP {0} [{1}] on response_url")
  @CsvSource(delimiter = '|', value = {
      "404 | {\"id\":\"app.command_webhook.get.missing\",\"message\":\"Unable to find the webhook.\"}",
      "404 | ''",
      "410 | gone",
      "400 | Invalid webhook.",
      "400 | Expired url",
  })
  void responseUrlThatIsNoLongerAcceptedIsSpent(int status, String body) {
    assertInstanceOf(SendOutcome.Spent.class, classify(status, body, true));
  }

  @Test
  void mattermostSixthUseErrorBodyIsSpent() {
    assertEquals(new SendOutcome.Spent("HTTP 400: " + INVALID_WEBHOOK), classify(400, INVALID_WEBHOOK, true));
  }

  @ParameterizedTest(name = "HTTP {0} [{1}] on response_url")
  @CsvSource(delimiter = '|', value = {
      "400 | {\"id\":\"web.command_webhook.parse.app_error\"}",
      "400 | ''",
      "401 | unauthorized",
      "403 | forbidden",
      "413 | too large",
      "422 | nope",
  })
  void otherClientErrorsOnResponseUrlAreRejected(int status, String body) {
    assertInstanceOf(SendOutcome.Rejected.class, classify(status, body, true));
  }

  @Test
  void nullBodyFourHundredOnResponseUrlIsRejected() {
    assertEquals(new SendOutcome.Rejected("HTTP 400"), classify(400, null, true));
  }

  @ParameterizedTest(name = "HTTP {0} on a destination")
  @ValueSource(ints = {400, 401, 403, 404, 410, 413})
  void clientErrorsOnADestinationAreRejectedNeverSpent(int status) {
    assertInstanceOf(SendOutcome.Rejected.class, classify(status, "Invalid webhook.", false));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {100, 301, 302, 304})
  void unexpectedNonErrorStatusesAreRejected(int status) {
    assertInstanceOf(SendOutcome.Rejected.class, classify(status, "", false));
  }

  @Test
  void mattermostV8WrappedSixthUseIsSpent() {
    String body = "{\"id\":\"web.command_webhook.general.app_error\",\"message\":\"Failed to handle command webhook ….\","
        + "\"status_code\":400}";
    assertTrue(SendOutcome.classify(400, null, body, true, 0) instanceof SendOutcome.Spent);
  }
}
