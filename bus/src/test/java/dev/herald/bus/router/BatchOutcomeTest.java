package dev.herald.bus.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchOutcomeTest {

  private static List<PendingEvent> items(int n) {
    List<PendingEvent> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Event e = TestSupport.track("u", "E", i);
      items.add(new PendingEvent(new LogEntry(0, i, e, e.payloadBytes().length()), e, 0));
    }
    return items;
  }

  @Test
  void partialOutcomesSplitPerEventAndKeepTheLongestRetryAfter() {
    List<PendingEvent> items = items(4);
    BatchOutcome outcome = BatchOutcome.of(items, SendResult.partial(List.of(
        SendResult.delivered(),
        SendResult.retry("throttled", Duration.ofMillis(300)),
        SendResult.rejected("invalid", 400, "bad field"),
        SendResult.retry("throttled", Duration.ofSeconds(2)))));
    assertEquals(List.of(items.get(0)), outcome.delivered());
    assertEquals(List.of(items.get(2)), outcome.rejected());
    assertEquals(List.of(items.get(1), items.get(3)), outcome.retry());
    assertEquals(Duration.ofSeconds(2), outcome.retryAfter());
    assertEquals("invalid", items.get(2).lastReason);
    assertEquals(400, items.get(2).lastStatus);
    assertEquals("bad field", items.get(2).lastExcerpt);
  }

  @Test
  void keyThrottlesAreHeldWithTheirOwnHoldAndSetupErrorsAreNamed() {
    List<PendingEvent> items = items(4);
    BatchOutcome outcome = BatchOutcome.of(items, SendResult.partial(List.of(
        SendResult.throttled("user throttled", Duration.ofSeconds(30), 429),
        SendResult.retry("busy", Duration.ofSeconds(1)),
        SendResult.setupError("invalid API key", 400, "{}"),
        SendResult.delivered())));
    assertEquals(List.of(items.get(0)), outcome.held());
    assertEquals(Duration.ofSeconds(30), items.get(0).holdFor);
    assertEquals(429, items.get(0).lastStatus);
    assertEquals(List.of(items.get(1)), outcome.retry());
    assertEquals(Duration.ofSeconds(1), outcome.retryAfter(), "a key's hold is not the batch's Retry-After");
    assertEquals(List.of(), outcome.rejected(), "a setup error is no reason to dead-letter the event");
    assertEquals(List.of(items.get(2)), outcome.misconfigured());
    assertEquals("invalid API key", outcome.setupError());
    assertEquals(List.of(items.get(3)), outcome.delivered());
  }

  @Test
  void aPartialOfTheWrongSizeIsRetriedWholeRatherThanGuessed() {
    List<PendingEvent> items = items(3);
    BatchOutcome outcome = BatchOutcome.of(items, SendResult.partial(List.of(SendResult.delivered())));
    assertEquals(items, outcome.retry());
    assertEquals("destination answered 1 outcomes for 3 events", items.get(0).lastReason);
  }

  @Test
  void backoffGrowsWithJitterWithinItsBounds() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    DeliveryPolicy policy = new DeliveryPolicy(10, 0, 1, Duration.ofMillis(100), Duration.ofSeconds(5),
        Duration.ofHours(1), 0, 5, Duration.ofSeconds(1));
    for (int retries = 1; retries < 80; retries++) {
      long ceiling = retries >= 6 ? 5000 : Math.min(5000, 100L << retries);
      long delay = Backoff.millis(policy, retries, random);
      assertTrue(delay >= 100 && delay <= ceiling, retries + ": " + delay + " (seed " + seed + ")");
    }
    long spread = 0;
    for (int i = 0; i < 50; i++) {
      spread = Math.max(spread, Math.abs(Backoff.millis(policy, 10, random) - Backoff.millis(policy, 10, random)));
    }
    assertTrue(spread > 100, "jittered, not fixed (seed " + seed + ")");
  }
}
