package dev.herald.destination.amplitude;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Amplitude's {@code time}: epoch milliseconds from a Segment ISO-8601 timestamp. */
final class Timestamps {

  private Timestamps() {}

  /** The corrected {@code timestamp}; else {@code receivedAt}; else when Herald received the event. */
  static long millis(String timestamp, String receivedAt, Instant fallback) {
    for (String text : new String[] {timestamp, receivedAt}) {
      if (text == null) continue;
      long fast = utcMillis(text);
      if (fast != Long.MIN_VALUE) return fast;
      try {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from).toEpochMilli();
      } catch (DateTimeParseException e) {
        // not an ISO-8601 date-time with an offset: try the next one
      }
    }
    return fallback.toEpochMilli();
  }

  /**
   * The common shape {@code 2026-11-23T10:00:00.123Z} (what Herald and Segment's libraries write)
   * without the general parser's cost; {@link Long#MIN_VALUE} for anything else.
   */
  static long utcMillis(String s) {
    // Any character beyond ISO-8859-1 becomes '?', which the shape refuses as it refuses the original.
    return utcMillis(s.getBytes(StandardCharsets.ISO_8859_1), 0, s.length());
  }

  /** {@link #utcMillis(String)} of the {@code n} ASCII bytes at {@code from}, read where they are stored. */
  static long utcMillis(byte[] s, int from, int n) {
    if (n < 20 || s[from + n - 1] != 'Z' || s[from + 4] != '-' || s[from + 7] != '-' || s[from + 10] != 'T'
        || s[from + 13] != ':' || s[from + 16] != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, from, 4);
    int month = digits(s, from + 5, 2);
    int day = digits(s, from + 8, 2);
    int hour = digits(s, from + 11, 2);
    int minute = digits(s, from + 14, 2);
    int second = digits(s, from + 17, 2);
    int millis = 0;
    if (n > 20) {
      if (s[from + 19] != '.') return Long.MIN_VALUE;
      int fraction = n - 21;
      if (fraction < 1 || fraction > 9) return Long.MIN_VALUE;
      int value = digits(s, from + 20, fraction);
      if (value < 0) return Long.MIN_VALUE;
      millis = fraction >= 3 ? value / pow10(fraction - 3) : value * pow10(3 - fraction);
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || day > lengthOfMonth(year, month)) {
      return Long.MIN_VALUE;
    }
    return (daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second) * 1000L + millis;
  }

  private static int digits(byte[] s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      int c = s[i];
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static int lengthOfMonth(int year, int month) {
    if (month == 2) return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  private static int pow10(int exponent) {
    int value = 1;
    for (int i = 0; i < exponent; i++) value *= 10;
    return value;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
  private static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097L + doe - 719_468L;
  }
}
