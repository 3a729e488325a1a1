package dev.hookgate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookgate.outbound.RateLimitHeaders;
import org.junit.jupiter.api.Test;

/**
 * The learned pace against simulated chat servers, on a simulated clock: a lane with one post in
 * flight (10 ms round trip) that obeys Retry-After, as the lane scheduler drives it.
 */
class LearnedPaceTest {
  private static final long RTT = 10;

  /** A chat server's limiter: answers 200 or 429 (with Retry-After) at a time, with or without headers. */
  private interface Server {
    /** {status, retry-after ms}; headers in {@link #limits}. */
    long[] post(long now);

    RateLimitHeaders limits();
  }

  /** Mattermost's: a token bucket ({@code rate}/s, {@code burst}) sending X-RateLimit-* on every answer. */
  private static final class MattermostLimiter implements Server {
    final double rate;
    final double burst;
    double tokens;
    long last;
    RateLimitHeaders limits = RateLimitHeaders.NONE;

    MattermostLimiter(double rate, int burst) {
      this.rate = rate;
      this.burst = burst;
      this.tokens = burst;
    }

    @Override
    public long[] post(long now) {
      tokens = Math.min(burst, tokens + (now - last) * rate / 1000);
      last = now;
      boolean ok = tokens >= 1;
      if (ok) {
        tokens -= 1;
      }
      limits = new RateLimitHeaders(burst, Math.floor(tokens), Math.ceil((burst - tokens) / rate));
      return ok ? new long[] {200, 0} : new long[] {429, (long) Math.ceil((1 - tokens) / rate) * 1000};
    }

    @Override
    public RateLimitHeaders limits() {
      return limits;
    }
  }

  /** Slack's (as the fake chat server plays it): one post per 1/rate s, 429 with Retry-After only. */
  private static final class SlackLimiter implements Server {
    final double rate;
    long nextAllowed;

    SlackLimiter(double rate) {
      this.rate = rate;
    }

    @Override
    public long[] post(long now) {
      if (now < nextAllowed) {
        return new long[] {429, (long) Math.ceil((nextAllowed - now) / 1000.0) * 1000};
      }
      nextAllowed = now + (long) (1000 / rate);
      return new long[] {200, 0};
    }

    @Override
    public RateLimitHeaders limits() {
      return RateLimitHeaders.NONE;
    }
  }

  /** {posts accepted, 429s, 429s after 10 s, 429s before a Retry-After elapsed, end time}. */
  private static long[] run(LearnedPace pace, Server server, int messages) {
    long now = 0;
    long pausedUntil = 0;
    long limited = 0;
    long limitedLate = 0;
    long early = 0;
    long serverPausedUntil = 0;
    int sent = 0;
    while (sent < messages) {
      if (now < pausedUntil) {
        now = pausedUntil;
        continue;
      }
      if (!pace.tryTake(now)) {
        now = pace.nextTokenAt(now);
        continue;
      }
      long[] answer = server.post(now + RTT / 2);
      now += RTT;
      if (answer[0] == 429) {
        limited++;
        if (now - RTT / 2 < serverPausedUntil) {
          early++;
        }
        if (now > 10_000) {
          limitedLate++;
        }
        pausedUntil = now + answer[1];
        serverPausedUntil = now - RTT / 2 + answer[1];
        pace.rateLimited(server.limits(), now);
      } else {
        sent++;
        pace.accepted(server.limits(), now);
      }
    }
    return new long[] {sent, limited, limitedLate, early, now};
  }

  @Test
  void configuredAtFiftyInFrontOfAMattermostAllowingTenItFollowsTheHeadersWithoutA429() {
    LearnedPace pace = new LearnedPace(50, 20, 0);
    long[] r = run(pace, new MattermostLimiter(10, 10), 400);
    assertEquals(400, r[0]);
    assertTrue(r[1] <= 3, r[1] + " answers 429");
    assertEquals(0, r[3], "429s before a Retry-After elapsed");
    // 400 posts at 10/s (10 saved up) take 39 s: within 1.5× that
    assertTrue(r[4] <= 1.5 * 39_000, "took " + r[4] + " ms");
    assertTrue(pace.rate() <= 10.5, "learned " + pace.rate());
  }

  @Test
  void withoutHeadersAgainstSlacksOneASecondFewerThanFivePercentOfPostsAre429sAfterTheFirstTenSeconds() {
    LearnedPace pace = new LearnedPace(Double.NaN, 20, 0);
    long[] r = run(pace, new SlackLimiter(1), 300);
    long postsAfter10s = 300 - 10; // at most ~1 a second were accepted in the first 10 s
    assertTrue(r[2] < 0.05 * postsAfter10s, r[2] + " 429s after 10 s of " + r[1]);
    assertTrue(pace.rate() < 1.5 && pace.rate() > 0.4, "learned " + pace.rate());
  }

  @Test
  void aConfiguredRateIsACapAndTheStart() {
    LearnedPace pace = new LearnedPace(5, 1, 0);
    for (long t = 0; t < 60_000; t += 100) {
      pace.accepted(RateLimitHeaders.NONE, t);
    }
    assertEquals(5, pace.rate());
    pace.rateLimited(RateLimitHeaders.NONE, 60_000);
    assertEquals(2.5, pace.rate());
    pace.accepted(RateLimitHeaders.NONE, 61_000);
    assertEquals(2.75, pace.rate(), 1e-9);
  }

  @Test
  void withoutAConfiguredRateItStartsAtTheDefaultAndRisesWhileAccepted() {
    LearnedPace pace = new LearnedPace(Double.NaN, 20, 0);
    assertEquals(LearnedPace.DEFAULT_RATE, pace.rate());
    for (long t = 1000; t <= 10_000; t += 1000) {
      pace.accepted(RateLimitHeaders.NONE, t);
    }
    assertEquals(LearnedPace.DEFAULT_RATE + 10 * LearnedPace.INCREASE_PER_SECOND, pace.rate(), 1e-9);
    pace.accepted(RateLimitHeaders.NONE, 3_600_000); // an idle hour is not a sending hour
    assertEquals(LearnedPace.DEFAULT_RATE + 11 * LearnedPace.INCREASE_PER_SECOND, pace.rate(), 1e-9);
  }

  @Test
  void noTokenBeyondWhatTheServerSaysRemains() {
    LearnedPace pace = new LearnedPace(50, 20, 0);
    pace.accepted(new RateLimitHeaders(100, 2, 10), 0);
    assertEquals(2, pace.available(0));
    pace.accepted(new RateLimitHeaders(100, 0, 10), 0);
    assertEquals(0, pace.available(0));
    assertEquals(100, pace.nextTokenAt(0), "Reset 10 s for 100: one token every 100 ms");
    assertEquals(10, pace.rate(), 1e-9);
  }
}
