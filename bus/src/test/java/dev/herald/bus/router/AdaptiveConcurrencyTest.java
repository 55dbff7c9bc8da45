package dev.herald.bus.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.router.AdaptiveConcurrency.Signal;
import dev.herald.destination.api.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The limit's algorithm, driven by recorded round trips on a made-up clock: no sleeps, no threads. */
class AdaptiveConcurrencyTest {

  private static final long MS = 1_000_000;

  /** A made-up clock and a destination that answers every round of sends after {@code rtt}. */
  private static final class Replay {
    final AdaptiveConcurrency limit;
    long now = 1_000 * MS;
    final List<Integer> limits = new ArrayList<>();

    Replay(int max) {
      limit = new AdaptiveConcurrency(max, true);
    }

    /** Sends as many batches as the limit allows at once; all answer {@code rttMs} later with {@code signal}. */
    Replay round(double rttMs, Signal signal) {
      int n = limit.limit();
      for (int i = 1; i <= n; i++) limit.sending(i, now);
      long rtt = (long) (rttMs * MS);
      now += rtt;
      for (int i = 0; i < n; i++) limit.answered(rtt, signal, now);
      limits.add(limit.limit());
      return this;
    }

    Replay rounds(int count, double rttMs, Signal signal) {
      for (int i = 0; i < count; i++) round(rttMs, signal);
      return this;
    }
  }

  @Test
  void startsAtOneAndGrowsByOneAWindowWhileTheRoundTripHoldsUntilMaxInFlight() {
    Replay r = new Replay(8);
    assertEquals(1, r.limit.limit());
    r.rounds(12, 20, Signal.ANSWERED);
    assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 8, 8, 8, 8, 8), r.limits);
  }

  @Test
  void climbsToMaxInFlightThroughASeededNoisyButSteadyRoundTrip() {
    Random random = new Random(42);
    Replay r = new Replay(16);
    for (int i = 0; i < 200; i++) r.round(20 * (0.9 + 0.2 * random.nextDouble()), Signal.ANSWERED);
    assertEquals(16, r.limit.limit(), "limits: " + r.limits);
  }

  @Test
  void backPressureShrinksTheLimitMultiplicativelyButNeverBelowOne() {
    Replay r = new Replay(40).rounds(39, 20, Signal.ANSWERED);
    assertEquals(40, r.limit.limit());
    r.now += MS;
    r.limit.answered(20 * MS, Signal.BACK_PRESSURE, r.now);
    assertEquals(36, r.limit.limit(), "40 * 0.9, at the first refusal");
    r.now += MS;
    r.limit.answered(20 * MS, Signal.BACK_PRESSURE, r.now);
    assertEquals(36, r.limit.limit(), "once per window: the refusals of one burst count once");
    r.now += 20 * MS; // the window ends
    r.limit.answered(20 * MS, Signal.BACK_PRESSURE, r.now);
    r.now += MS;
    r.limit.answered(20 * MS, Signal.BACK_PRESSURE, r.now);
    assertEquals(32, r.limit.limit(), "36 * 0.9, rounded down, in the next window");
    r.rounds(60, 20, Signal.BACK_PRESSURE);
    assertEquals(1, r.limit.limit());
  }

  @Test
  void aRoundTripRisingPastItsAverageShrinksTheLimitAndSmallNoiseDoesNot() {
    Replay r = new Replay(10).rounds(5, 20, Signal.ANSWERED);
    assertEquals(6, r.limit.limit());
    r.round(23, Signal.ANSWERED); // 15 % up: within the tolerance of a busy host
    assertEquals(7, r.limit.limit());
    r.round(60, Signal.ANSWERED); // three times the average: the destination is queueing
    assertEquals(6, r.limit.limit());
  }

  @Test
  void aWindowThatDidNotUseTheWholeLimitDoesNotGrowIt() {
    AdaptiveConcurrency limit = new AdaptiveConcurrency(8, true);
    long now = 0;
    for (int i = 0; i < 3; i++) { // the limit grows to 4
      int n = limit.limit();
      for (int j = 1; j <= n; j++) limit.sending(j, now);
      now += 20 * MS;
      for (int j = 0; j < n; j++) limit.answered(20 * MS, Signal.ANSWERED, now);
    }
    assertEquals(4, limit.limit());
    for (int i = 0; i < 10; i++) { // a trickle: one batch at a time
      limit.sending(1, now);
      now += 20 * MS;
      limit.answered(20 * MS, Signal.ANSWERED, now);
    }
    assertEquals(4, limit.limit());
  }

  @Test
  void failuresThatSayNothingAboutLoadNeitherGrowNorShrinkIt() {
    Replay r = new Replay(8).rounds(3, 20, Signal.ANSWERED);
    // A window ends at its first answer: the rest of that round's answers count in the next one.
    int settled = r.round(20, Signal.OTHER).limit.limit();
    r.rounds(8, 20, Signal.OTHER);
    assertEquals(settled, r.limit.limit(), "limits: " + r.limits);
  }

  @Test
  void recoversAfterBackPressureEnds() {
    Replay r = new Replay(8).rounds(10, 20, Signal.ANSWERED).rounds(4, 20, Signal.BACK_PRESSURE);
    assertTrue(r.limit.limit() < 8, "limits: " + r.limits);
    r.rounds(10, 20, Signal.ANSWERED);
    assertEquals(8, r.limit.limit(), "limits: " + r.limits);
  }

  @Test
  void turnedOffTheLimitIsMaxInFlightWhateverHappens() {
    AdaptiveConcurrency fixed = new AdaptiveConcurrency(6, false);
    assertEquals(6, fixed.limit());
    for (int i = 0; i < 10; i++) {
      fixed.sending(6, i * 20 * MS);
      fixed.answered(20 * MS, Signal.BACK_PRESSURE, (i + 1) * 20 * MS);
    }
    assertEquals(6, fixed.limit());
  }

  @Test
  void http429And503WaitHintsAndTimeoutsArePushBackWhileOtherRetriesAndKeyThrottlesAreNot() {
    assertEquals(Signal.BACK_PRESSURE, AdaptiveConcurrency.of(new SendResult.Retry("HTTP 429", null, 429)));
    assertEquals(Signal.BACK_PRESSURE, AdaptiveConcurrency.of(new SendResult.Retry("HTTP 503", null, 503)));
    assertEquals(Signal.BACK_PRESSURE, AdaptiveConcurrency.of(SendResult.retry("busy", Duration.ofSeconds(1))));
    assertEquals(Signal.BACK_PRESSURE, AdaptiveConcurrency.of(new SendResult.Retry("no answer within 30000 ms", null, 0)));
    assertEquals(Signal.BACK_PRESSURE,
        AdaptiveConcurrency.of(new SendResult.Retry("no complete answer within 5000 ms (http://x)", null, 0)));
    assertEquals(Signal.OTHER, AdaptiveConcurrency.of(new SendResult.Retry("HTTP 500", null, 500)));
    assertEquals(Signal.OTHER, AdaptiveConcurrency.of(new SendResult.Retry("connection failed (ConnectException)", null, 0)));
    assertEquals(Signal.ANSWERED, AdaptiveConcurrency.of(SendResult.delivered()));
    assertEquals(Signal.ANSWERED, AdaptiveConcurrency.of(SendResult.rejected("bad", 400, "")));
    assertEquals(Signal.ANSWERED, AdaptiveConcurrency.of(SendResult.partial(List.of(SendResult.delivered(),
        SendResult.throttled("user throttled", Duration.ofSeconds(1), 429)))));
    assertEquals(Signal.BACK_PRESSURE, AdaptiveConcurrency.of(SendResult.partial(List.of(SendResult.delivered(),
        new SendResult.Retry("HTTP 429", null, 429)))));
  }
}
