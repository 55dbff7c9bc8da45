package dev.herald.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * ISO-8601 date-times as Segment's libraries send them ({@code 2026-11-23T10:00:00.000Z},
 * {@code …+01:00}, {@code …+0100}), and the clock-skew rule for an event's {@code timestamp}.
 */
final class Timestamps {

  /** A timestamp further in the past than this is not trusted. */
  static final Duration MAX_PAST = Duration.ofHours(24);
  /** A timestamp further in the future than this is not trusted. */
  static final Duration MAX_FUTURE = Duration.ofMinutes(30);

  private static final DateTimeFormatter PARSER = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral('T')
      .appendValue(ChronoField.HOUR_OF_DAY, 2)
      .appendLiteral(':')
      .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
      .optionalStart()
      .appendLiteral(':')
      .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
      .optionalStart()
      .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
      .optionalEnd()
      .optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .toFormatter();

  private static final DateTimeFormatter MILLIS_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** The instant of an ISO-8601 date-time with a time zone, or null when the text is not one. */
  static Instant parse(String text) {
    if (text == null || text.length() > 64) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, PARSER).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code 2026-11-23T10:00:00.000Z}: UTC, millisecond precision, the form Herald stores. */
  static String format(Instant instant) {
    return MILLIS_UTC.format(instant);
  }

  /**
   * The event's time on the server's clock: {@code receivedAt − (sentAt − originalTimestamp)}
   * when the client sent both, the client's own time when it sent no {@code sentAt}, and
   * {@code receivedAt} when the result is more than 24 h in the past or 30 min in the future
   * (a broken client clock) or the client sent no time at all.
   */
  static Instant corrected(Instant receivedAt, Instant originalTimestamp, Instant sentAt) {
    if (originalTimestamp == null) {
      return receivedAt;
    }
    Instant candidate;
    try {
      candidate = sentAt == null
          ? originalTimestamp
          : receivedAt.minus(Duration.between(originalTimestamp, sentAt));
    } catch (ArithmeticException | java.time.DateTimeException absurd) {
      return receivedAt;
    }
    if (candidate.isBefore(receivedAt.minus(MAX_PAST)) || candidate.isAfter(receivedAt.plus(MAX_FUTURE))) {
      return receivedAt;
    }
    return candidate;
  }
}
