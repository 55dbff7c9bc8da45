package dev.herald.launcher.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the config's duration ({@code 30s}), size ({@code 10GB}) and rate ({@code 100/min}) notations. */
public final class Units {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(s|sec|min|h|hour)");

  private Units() {}

  /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}; empty when malformed. */
  public static Optional<Duration> duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) return Optional.empty();
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    });
  }

  /** Bytes: a plain number, or with {@code KB}, {@code MB}, {@code GB} (powers of 1024); empty when malformed. */
  public static Optional<Long> size(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) return Optional.empty();
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long multiplier = switch (unit) {
      case "KB" -> 1024L;
      case "MB" -> 1024L * 1024;
      case "GB" -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    try {
      return Optional.of(Math.multiplyExact(Long.parseLong(m.group(1)), multiplier));
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code 10000/min} (also {@code /s}, {@code /h}); empty when malformed or zero. */
  public static Optional<RateLimit> rate(String text) {
    Matcher m = RATE.matcher(text.trim());
    if (!m.matches()) return Optional.empty();
    long permits;
    try {
      permits = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (permits <= 0) return Optional.empty();
    Duration per = switch (m.group(2)) {
      case "s", "sec" -> Duration.ofSeconds(1);
      case "min" -> Duration.ofMinutes(1);
      default -> Duration.ofHours(1);
    };
    return Optional.of(new RateLimit(permits, per));
  }
}
