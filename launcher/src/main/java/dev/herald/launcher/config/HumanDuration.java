package dev.herald.launcher.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Fluvio connector files write them (the {@code humantime} notation): one or more
 * {@code <number><unit>} parts, e.g. {@code 500ms}, {@code 15s}, {@code 1m 30s}, {@code 2hours}.
 */
final class HumanDuration {

  private static final Pattern PART = Pattern.compile("\\s*(\\d{1,12})\\s*([a-zA-Zµ]+)\\s*");

  private HumanDuration() {}

  /** The duration, or null when {@code text} is not one. */
  static Duration parse(String text) {
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) return null;
      Duration unit = unit(m.group(2).toLowerCase(Locale.ROOT));
      if (unit == null) return null;
      total = total.plus(unit.multipliedBy(Long.parseLong(m.group(1))));
      at = m.end();
    }
    return at == 0 ? null : total;
  }

  private static Duration unit(String u) {
    return switch (u) {
      case "ns", "nsec", "nanos" -> Duration.ofNanos(1);
      case "us", "µs", "usec" -> Duration.ofNanos(1_000);
      case "ms", "msec", "millis" -> Duration.ofMillis(1);
      case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(1);
      case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(1);
      case "h", "hr", "hrs", "hour", "hours" -> Duration.ofHours(1);
      case "d", "day", "days" -> Duration.ofDays(1);
      case "w", "week", "weeks" -> Duration.ofDays(7);
      default -> null;
    };
  }
}
