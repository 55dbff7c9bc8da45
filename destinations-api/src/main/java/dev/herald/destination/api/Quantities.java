package dev.herald.destination.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Herald's one parser of the size and duration notations, used by herald.yaml and by every
 * plugin's {@code config:} ({@link ConfigSpec.Type#SIZE}, {@link ConfigSpec.Type#DURATION}).
 *
 * <ul>
 *   <li>A duration is a whole number with {@code ms}, {@code s}, {@code m}, {@code h} or
 *       {@code d}, e.g. {@code 250ms}, {@code 30s}, {@code 24h}. Units are lower case only, so
 *       {@code 1M} (a month? a minute?) is an error rather than a guess.
 *   <li>A size is a whole number with {@code B}, {@code KB}, {@code MB} or {@code GB} in any case
 *       ({@code 64MB}, {@code 64mb}); the units are powers of 1024.
 *   <li>A bare number, written as a number or as digits, is milliseconds or bytes: a YAML
 *       {@code 500} and a string {@code "500"} both mean 500 ms (or 500 bytes).
 *   <li>Space between number and unit is allowed ({@code 64 MB}). Negative amounts, fractions and
 *       amounts past a long's range of milliseconds or bytes are errors.
 * </ul>
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message is a phrase to follow the key's
 * name ("must be a duration: …"), naming what is wrong without repeating the value.
 */
public final class Quantities {

  /** What a duration looks like, as problem messages put it. */
  public static final String DURATION_SYNTAX = "a duration: milliseconds or a number with ms, s, m, h or d (e.g. 30s)";

  /** What a size looks like, as problem messages put it. */
  public static final String SIZE_SYNTAX = "a size: a byte count or a number with KB, MB or GB (e.g. 100MB)";

  private static final Pattern AMOUNT = Pattern.compile("(-?)(\\d+)(\\.\\d*)?\\s*([A-Za-z]*)");

  private Quantities() {}

  /** Parses a duration: a number (milliseconds) or text such as {@code 30s}. */
  public static Duration duration(Object value) {
    return Duration.ofMillis(amount(value, true));
  }

  /** Parses a size in bytes: a number or text such as {@code 64MB}. */
  public static long size(Object value) {
    return amount(value, false);
  }

  /** Milliseconds ({@code duration}) or bytes. */
  private static long amount(Object value, boolean duration) {
    String syntax = "must be " + (duration ? DURATION_SYNTAX : SIZE_SYNTAX);
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      if (n < 0) throw new IllegalArgumentException(syntax + "; it must not be negative");
      return n;
    }
    if (!(value instanceof String text)) throw new IllegalArgumentException(syntax);
    Matcher m = AMOUNT.matcher(text.trim());
    if (!m.matches()) throw new IllegalArgumentException(syntax);
    String unit = m.group(4);
    long factor = duration ? durationFactor(unit, syntax) : sizeFactor(unit, syntax);
    if (!m.group(1).isEmpty()) throw new IllegalArgumentException(syntax + "; it must not be negative");
    if (m.group(3) != null) throw new IllegalArgumentException(syntax + "; the number must be whole (use a smaller unit)");
    try {
      return Math.multiplyExact(Long.parseLong(m.group(2)), factor);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(syntax + "; it is too large");
    }
  }

  private static long durationFactor(String unit, String syntax) {
    String lower = unit.toLowerCase(Locale.ROOT);
    long factor = switch (lower) {
      case "", "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      default -> throw new IllegalArgumentException(syntax);
    };
    if (!lower.equals(unit)) {
      throw new IllegalArgumentException(syntax + "; units are lower case (" + lower + ", not " + unit + ")");
    }
    return factor;
  }

  private static long sizeFactor(String unit, String syntax) {
    return switch (unit.toUpperCase(Locale.ROOT)) {
      case "", "B" -> 1L;
      case "KB" -> 1L << 10;
      case "MB" -> 1L << 20;
      case "GB" -> 1L << 30;
      default -> throw new IllegalArgumentException(syntax);
    };
  }
}
