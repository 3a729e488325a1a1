package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.config.DeliveryConfig;
import dev.hookgate.outbound.FailureKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every delivery decision, from the outcome, the attempts, the age and the lane; time from a fixed clock. */
class DeliveryDeciderTest {
  private static final long NOW = 1_764_316_800_000L;
  private static final DeliveryConfig POLICY = new DeliveryConfig(
      List.of(Duration.ofSeconds(2), Duration.ofSeconds(10)), 5, Duration.ofHours(1),
      Duration.ofSeconds(10), Duration.ofSeconds(5));
  private static final Set<String> DESTINATIONS = Set.of("ops");

  private final DeliveryDecider decider = new DeliveryDecider(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public double nextDouble() {
          return 0.5;
        }
      });

  private static DeliveryDecider.Attempt toDestination(int attempts) {
    return DeliveryDecider.Attempt.toDestination(attempts, NOW - 1000);
  }

  private static DeliveryDecider.Attempt toResponseUrl(boolean ephemeral, String fallback) {
    return DeliveryDecider.Attempt.toResponseUrl(ephemeral, fallback, 0, NOW - 1000);
  }

  private Decision decide(SendOutcome outcome, DeliveryDecider.Attempt attempt) {
    return decider.decide(outcome, attempt, POLICY, DESTINATIONS);
  }

  @Test
  void twoHundredIsDelivered() {
    assertEquals(new Decision.Delivered(), decide(SendOutcome.classify(200, null, "ok", false, NOW), toDestination(0)));
  }

  @Test
  void tooManyRequestsWithRetryAfterPausesTheLaneThatLongWithoutCountingAnAttempt() {
    Decision d = decide(SendOutcome.classify(429, "7", "", false, NOW), toDestination(4));
    assertEquals(new Decision.PauseLaneUntil(NOW + 7000, "HTTP 429", false), d);
  }

  @Test
  void tooManyRequestsWithoutRetryAfterPausesTheLaneOneSecond() {
    Decision d = decide(SendOutcome.classify(429, null, "", false, NOW), toDestination(0));
    assertEquals(new Decision.PauseLaneUntil(NOW + 1000, "HTTP 429", false), d);
  }

  @Test
  void tooManyRequestsOnAResponseUrlGivesItsUseBack() {
    Decision d = decide(SendOutcome.classify(429, "3", "", true, NOW), toResponseUrl(false, "ops"));
    assertEquals(new Decision.PauseLaneUntil(NOW + 3000, "HTTP 429", true), d);
  }

  @Test
  void serverErrorRetriesAfterTheBackoffOfThatAttempt() {
    assertEquals(new Decision.RetryAt(NOW + 2000, "HTTP 503: busy", false),
        decide(SendOutcome.classify(503, null, "busy", false, NOW), toDestination(0)));
    assertEquals(new Decision.RetryAt(NOW + 10_000, "HTTP 502", false),
        decide(SendOutcome.classify(502, null, "", false, NOW), toDestination(1)));
    assertEquals(new Decision.RetryAt(NOW + 10_000, "HTTP 500", false), // the last step repeats
        decide(SendOutcome.classify(500, null, "", false, NOW), toDestination(3)));
  }

  @ParameterizedTest
  @EnumSource(FailureKind.class)
  void eachFailureKindIsRetriedAndNamedByItsPhrase(FailureKind kind) {
    Decision d = decide(new SendOutcome.Unanswered(kind), toDestination(0));
    assertEquals(new Decision.RetryAt(NOW + 2000, kind.phrase(), false), d);
  }

  @ParameterizedTest
  @EnumSource(value = FailureKind.class, names = {"CONNECT", "DNS", "TLS"})
  void aFailureThatNeverReachedTheChatServerGivesTheResponseUrlUseBack(FailureKind kind) {
    Decision d = decide(new SendOutcome.Unanswered(kind), toResponseUrl(false, "ops"));
    assertTrue(((Decision.RetryAt) d).giveBackUse(), kind.name());
  }

  @ParameterizedTest
  @EnumSource(value = FailureKind.class, names = {"TIMEOUT", "CLOSED", "OTHER"})
  void aFailureThatMayHaveReachedTheChatServerKeepsTheUseSpent(FailureKind kind) {
    Decision d = decide(new SendOutcome.Unanswered(kind), toResponseUrl(false, "ops"));
    assertFalse(((Decision.RetryAt) d).giveBackUse(), kind.name());
    assertFalse(((Decision.RetryAt) decide(SendOutcome.classify(500, null, "", true, NOW),
        toResponseUrl(false, "ops"))).giveBackUse());
  }

  @Test
  void aConnectTimeoutIsAConnectFailure() {
    assertEquals(FailureKind.CONNECT, FailureKind.of(new io.netty.channel.ConnectTimeoutException("connection timed out")));
    assertEquals(FailureKind.TIMEOUT, FailureKind.of(new java.util.concurrent.TimeoutException("idle")));
    assertEquals(FailureKind.DNS, FailureKind.of(new java.net.UnknownHostException("x")));
    assertEquals(FailureKind.TLS, FailureKind.of(new javax.net.ssl.SSLHandshakeException("bad cert")));
    assertEquals(FailureKind.CONNECT, FailureKind.of(new java.net.ConnectException("refused")));
  }

  @Test
  void maxAttemptsMakesItDead() {
    Decision d = decide(SendOutcome.classify(503, null, "", false, NOW), toDestination(4));
    assertEquals(new Decision.Dead("gave up after 5 attempts: HTTP 503"), d);
  }

  @Test
  void tooManyRequestsAfterTheLastAttemptIsDeadToo() {
    assertInstanceOf(Decision.Dead.class, decide(SendOutcome.classify(429, "1", "", false, NOW), toDestination(5)));
  }

  @Test
  void olderThanMaxAgeMakesItDead() {
    DeliveryDecider.Attempt old = DeliveryDecider.Attempt.toDestination(0, NOW - Duration.ofHours(1).toMillis() - 1);
    Decision d = decide(new SendOutcome.Unanswered(FailureKind.CONNECT), old);
    assertEquals(new Decision.Dead("gave up after 1 attempts, older than delivery.max-age (1h): "
        + "connection refused or unreachable"), d);
    DeliveryDecider.Attempt young = DeliveryDecider.Attempt.toDestination(0, NOW - Duration.ofHours(1).toMillis());
    assertInstanceOf(Decision.RetryAt.class, decide(new SendOutcome.Unanswered(FailureKind.CONNECT), young));
  }

  @Test
  void otherClientErrorsAreDead() {
    assertEquals(new Decision.Dead("rejected by the chat server: HTTP 400: bad"),
        decide(SendOutcome.classify(400, null, "bad", false, NOW), toDestination(0)));
  }

  @Test
  void anExpiredResponseUrlFallsBackToTheCommandsDestination() {
    Decision d = decide(SendOutcome.classify(404, null, "Expired url", true, NOW), toResponseUrl(false, "ops"));
    assertEquals(new Decision.FallBack("ops", "response_url refused: HTTP 404: Expired url"), d);
  }

  @Test
  void aSpentBudgetFallsBackToTheCommandsDestination() {
    assertEquals(new Decision.FallBack("ops", "response_url spent (5 uses) or expired (30 minutes)"),
        decider.budgetSpent(toResponseUrl(false, "ops"), DESTINATIONS));
  }

  @Test
  void anEphemeralMessageNeverFallsBackToAChannel() {
    Decision spent = decider.budgetSpent(toResponseUrl(true, "ops"), DESTINATIONS);
    assertEquals(new Decision.Dead("response_url spent (5 uses) or expired (30 minutes); "
        + "an ephemeral message is not posted in a channel"), spent);
    assertInstanceOf(Decision.Dead.class,
        decide(SendOutcome.classify(404, null, "", true, NOW), toResponseUrl(true, "ops")));
  }

  @Test
  void withoutAConfiguredFallbackASpentResponseUrlIsDead() {
    assertEquals(new Decision.Dead("response_url spent (5 uses) or expired (30 minutes), and no fallback destination"),
        decider.budgetSpent(toResponseUrl(false, null), DESTINATIONS));
    assertInstanceOf(Decision.Dead.class, decider.budgetSpent(toResponseUrl(false, "gone"), DESTINATIONS));
  }

  @Test
  void aReloadedBackoffIsUsedAtOnce() {
    DeliveryConfig faster = new DeliveryConfig(List.of(Duration.ofMillis(100)), 5, Duration.ofHours(1),
        Duration.ofSeconds(10), Duration.ofSeconds(5));
    assertEquals(new Decision.RetryAt(NOW + 2000, "HTTP 500", false),
        decide(SendOutcome.classify(500, null, "", false, NOW), toDestination(0)));
    assertEquals(new Decision.RetryAt(NOW + 100, "HTTP 500", false),
        decider.decide(SendOutcome.classify(500, null, "", false, NOW), toDestination(0), faster, DESTINATIONS));
  }
}
