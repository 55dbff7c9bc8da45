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
      .toFormatter()
      // February 30th is refused, not moved to the 28th.
      .withResolverStyle(java.time.format.ResolverStyle.STRICT)
      .withChronology(java.time.chrono.IsoChronology.INSTANCE);

  private static final DateTimeFormatter MILLIS_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** The instant of an ISO-8601 date-time with a time zone, or null when the text is not one. */
  static Instant parse(String text) {
    if (text == null || text.length() > 64) {
      return null;
    }
    Instant common = parseCommon(text);
    return common != null ? common : parseGeneral(text);
  }

  /** Any ISO-8601 form with a zone the formatter takes (the slow path). */
  static Instant parseGeneral(String text) {
    try {
      return OffsetDateTime.parse(text, PARSER).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The form nearly every client sends, {@code 2026-11-23T10:00:00[.fraction](Z|±hh:mm)}, read
   * without the general parser (a tenth of its cost); null for anything else, which the general
   * parser then decides on.
   */
  static Instant parseCommon(String text) {
    int length = text.length();
    if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) | 0x20) != 't'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (text.charAt(i) == '.') {
      int start = ++i;
      while (i < length && i - start < 9 && Character.isDigit(text.charAt(i))) {
        nanos = nanos * 10 + (text.charAt(i) - '0');
        i++;
      }
      if (i == start || (i < length && Character.isDigit(text.charAt(i)))) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == length - 1 && (text.charAt(i) | 0x20) == 'z') {
      offsetSeconds = 0;
    } else if (i == length - 6 && (text.charAt(i) == '+' || text.charAt(i) == '-') && text.charAt(i + 3) == ':') {
      int offsetHours = digits(text, i + 1, 2);
      int offsetMinutes = digits(text, i + 4, 2);
      if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59) {
        return null;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (text.charAt(i) == '-' ? -1 : 1);
    } else {
      return null;
    }
    if (day > monthLength(year, month)) {
      return null;
    }
    long epochDay = epochDay(year, month, day);
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
  }

  private static int monthLength(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** As {@link java.time.LocalDate#toEpochDay()} computes it, for years 0 to 9999. */
  static long epochDay(int year, int month, int day) {
    long total = 365L * year;
    total += (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
    total += (367 * month - 362) / 12;
    total += day - 1;
    if (month > 2) {
      total--;
      if (!(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) {
        total--;
      }
    }
    return total - 719_528;
  }

  /** The value of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** {@code 2026-11-23T10:00:00.000Z}: UTC, millisecond precision, the form Herald stores. */
  static String format(Instant instant) {
    if (!fourDigitYear(instant)) {
      return MILLIS_UTC.format(instant);
    }
    byte[] out = new byte[24];
    write(instant, out, 0);
    return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** {@link #format} as a JSON string, written straight to bytes (no String on the way). */
  static byte[] json(Instant instant) {
    if (!fourDigitYear(instant)) {
      return JsonText.encode(MILLIS_UTC.format(instant));
    }
    byte[] out = new byte[26];
    out[0] = '"';
    write(instant, out, 1);
    out[25] = '"';
    return out;
  }

  private static boolean fourDigitYear(Instant instant) {
    long seconds = instant.getEpochSecond();
    return seconds >= 0 && seconds < LAST_FOUR_DIGIT_YEAR_END;
  }

  /** Written by hand for years 1970 to 9999: the formatter costs more than the rest of an event's times. */
  private static void write(Instant instant, byte[] out, int at) {
    long seconds = instant.getEpochSecond();
    long days = seconds / 86_400;
    int secondOfDay = (int) (seconds - days * 86_400);
    // The civil date of a day count (days since 0000-03-01 in 400-year eras), as LocalDate.ofEpochDay finds it.
    int z = (int) days + 719_468;
    int era = z / 146_097;
    int dayOfEra = z - era * 146_097;
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int monthFromMarch = (5 * dayOfYear + 2) / 153;
    int dayOfMonth = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
    int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    int year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    putTwo(out, at, year / 100);
    putTwo(out, at + 2, year % 100);
    out[at + 4] = '-';
    putTwo(out, at + 5, month);
    out[at + 7] = '-';
    putTwo(out, at + 8, dayOfMonth);
    out[at + 10] = 'T';
    putTwo(out, at + 11, secondOfDay / 3600);
    out[at + 13] = ':';
    putTwo(out, at + 14, secondOfDay / 60 % 60);
    out[at + 16] = ':';
    putTwo(out, at + 17, secondOfDay % 60);
    out[at + 19] = '.';
    int millis = instant.getNano() / 1_000_000;
    out[at + 20] = (byte) ('0' + millis / 100);
    putTwo(out, at + 21, millis % 100);
    out[at + 23] = 'Z';
  }

  private static final long LAST_FOUR_DIGIT_YEAR_END = 253_402_300_800L;

  /** Two digits of a value below 100, without a loop (a stored time is eight such pairs and a digit). */
  private static void putTwo(byte[] out, int at, int value) {
    int tens = value / 10;
    out[at] = (byte) ('0' + tens);
    out[at + 1] = (byte) ('0' + value - tens * 10);
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

  /** The skew rule of {@link #corrected} for one request's events without a {@code sentAt} of their own. */
  static Correction correction(Instant receivedAt, Instant sentAt) {
    return new Correction(receivedAt, sentAt);
  }

  /**
   * {@link #corrected} with the request's {@code receivedAt} and {@code sentAt} worked out once:
   * {@code receivedAt − (sentAt − t)} lies within the bounds around {@code receivedAt} exactly when
   * {@code t} lies within the same bounds around {@code sentAt} (instants are exact), and it is then
   * {@code t} shifted by {@code receivedAt − sentAt}.
   */
  static final class Correction {

    private final Instant receivedAt;
    private final Instant sentAt;
    private final Duration shift;
    private final Instant earliest;
    private final Instant latest;

    private Correction(Instant receivedAt, Instant sentAt) {
      this.receivedAt = receivedAt;
      this.sentAt = sentAt;
      Instant reference = sentAt == null ? receivedAt : sentAt;
      this.shift = sentAt == null ? Duration.ZERO : Duration.between(sentAt, receivedAt);
      Instant from;
      Instant to;
      try {
        from = reference.minus(MAX_PAST);
        to = reference.plus(MAX_FUTURE);
      } catch (java.time.DateTimeException | ArithmeticException edgeOfTime) {
        // A sentAt at the very end of time: each event takes the general rule.
        from = null;
        to = null;
      }
      this.earliest = from;
      this.latest = to;
    }

    /** The event's time on the server's clock, as {@link #corrected} gives it. */
    Instant apply(Instant originalTimestamp) {
      if (originalTimestamp == null) {
        return receivedAt;
      }
      if (earliest == null) {
        return corrected(receivedAt, originalTimestamp, sentAt);
      }
      if (originalTimestamp.isBefore(earliest) || originalTimestamp.isAfter(latest)) {
        return receivedAt;
      }
      return shift.isZero() ? originalTimestamp : originalTimestamp.plus(shift);
    }
  }
}
