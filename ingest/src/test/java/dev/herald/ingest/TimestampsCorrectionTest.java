package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The skew rule worked out once per request gives each event what the rule applied to it alone
 * gives: at the window's edges to the nanosecond, without a sentAt, and at the ends of time.
 */
class TimestampsCorrectionTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00.123Z");

  @Test
  void theRequestsCorrectionAgreesWithTheRuleForEveryEventTime() {
    Random random = new Random(42);
    Instant[] ends = {Instant.MIN, Instant.MAX, Instant.parse("-999999999-01-01T00:00:00Z"),
        Instant.parse("+999999999-12-31T23:59:59.999999999Z"), Instant.EPOCH};
    for (int i = 0; i < 200_000; i++) {
      Instant sentAt = switch (random.nextInt(6)) {
        case 0 -> null;
        case 1 -> ends[random.nextInt(ends.length)];
        default -> around(random, NOW);
      };
      Timestamps.Correction correction = Timestamps.correction(NOW, sentAt);
      Instant reference = sentAt == null || random.nextInt(4) == 0 ? NOW : sentAt;
      Instant original = switch (random.nextInt(8)) {
        case 0 -> null;
        case 1 -> ends[random.nextInt(ends.length)];
        default -> around(random, reference);
      };
      assertEquals(Timestamps.corrected(NOW, original, sentAt), correction.apply(original),
          "original " + original + ", sentAt " + sentAt);
    }
  }

  /** Near one edge of the window around {@code reference}, to the nanosecond, or anywhere near it. */
  private static Instant around(Random random, Instant reference) {
    Duration edge = switch (random.nextInt(4)) {
      case 0 -> Timestamps.MAX_PAST.negated();
      case 1 -> Timestamps.MAX_FUTURE;
      default -> Duration.ofSeconds(random.nextInt(400_000) - 200_000);
    };
    long nanos = random.nextBoolean() ? random.nextInt(5) - 2 : random.nextInt(2_000_000_000) - 1_000_000_000L;
    try {
      return reference.plus(edge).plusNanos(nanos);
    } catch (java.time.DateTimeException beyond) {
      return reference;
    }
  }
}
