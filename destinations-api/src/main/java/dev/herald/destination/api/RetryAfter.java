package dev.herald.destination.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3) into the wait hint of a
 * {@link SendResult.Retry}: delta-seconds ({@code 120}) or an HTTP date
 * ({@code Wed, 21 Oct 2026 07:28:00 GMT}). A hint is a destination's word, so it is guarded:
 * unreadable means no hint, a date in the past means now, and anything longer than
 * {@link #MAX} is cut to it (a server cannot park a destination for years, nor overflow the
 * framework's arithmetic).
 */
public final class RetryAfter {

  /** The longest wait a header can ask for. */
  public static final Duration MAX = Duration.ofDays(1);

  private RetryAfter() {}

  /** The hint of {@code header} as of now; null when absent or unreadable. */
  public static Duration parse(String header) {
    return parse(header, Clock.systemUTC());
  }

  /** The hint of {@code header} as of {@code clock}'s now; null when absent or unreadable; never negative. */
  public static Duration parse(String header, Clock clock) {
    if (header == null || header.isBlank()) return null;
    String value = header.trim();
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More digits than a long holds is a very long wait, not a malformed one.
      if (value.length() > 12) return MAX;
      return cap(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return wait.isNegative() ? Duration.ZERO : cap(wait);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration cap(Duration wait) {
    return wait.compareTo(MAX) > 0 ? MAX : wait;
  }
}
