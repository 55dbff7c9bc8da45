package dev.herald.destination.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Retry-After, as every HTTP plugin reads it. */
class RetryAfterTest {

  private static final Clock NOW = Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC);

  @Test
  void deltaSecondsAreTheWait() {
    assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", NOW));
    assertEquals(Duration.ofSeconds(120), RetryAfter.parse(" 120 ", NOW));
    assertEquals(Duration.ZERO, RetryAfter.parse("0", NOW));
  }

  @Test
  void anHttpDateIsTheWaitUntilThen() {
    assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Wed, 21 Oct 2026 07:29:30 GMT", NOW));
  }

  @Test
  void aDateInThePastMeansNow() {
    assertEquals(Duration.ZERO, RetryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT", NOW));
  }

  @Test
  void waitsAreCappedAtADaySoNoServerCanParkADestinationForYears() {
    assertEquals(RetryAfter.MAX, RetryAfter.parse("86401", NOW));
    assertEquals(RetryAfter.MAX, RetryAfter.parse("99999999999999999999999", NOW));
    assertEquals(RetryAfter.MAX, RetryAfter.parse("Thu, 21 Oct 2027 07:28:00 GMT", NOW));
    assertEquals(Duration.ofDays(1), RetryAfter.MAX);
  }

  @Test
  void absentOrUnreadableHeadersGiveNoHint() {
    assertNull(RetryAfter.parse(null, NOW));
    assertNull(RetryAfter.parse("", NOW));
    assertNull(RetryAfter.parse("-5", NOW));
    assertNull(RetryAfter.parse("1.5", NOW));
    assertNull(RetryAfter.parse("soon", NOW));
    assertNull(RetryAfter.parse("2026-10-21T07:29:30Z", NOW));
  }
}
