package dev.herald.destination.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks one key's value beyond its type, like Kafka Connect's {@code ConfigDef.Validator}: a
 * bad URL, a negative timeout, an unknown mode. {@link ConfigSpec#validate} runs it on a present,
 * well-typed value and lists its problem with every other problem of the config.
 *
 * <p>The value arrives typed: {@code Integer} for INT, {@code Long} for LONG, SIZE (bytes) and
 * DURATION (milliseconds), {@code String}, {@code Boolean}, {@code JsonObject}, {@code JsonArray}.
 */
@FunctionalInterface
public interface Validator {

  /**
   * The problem with {@code value}, as a whole sentence naming the key (e.g.
   * {@code "'timeoutMs' must be >= 1"}), or null when it is fine. Never repeat a value that may be
   * secret.
   */
  String check(String name, Object value);

  /** At least {@code min} (a number, or bytes or milliseconds for SIZE and DURATION). */
  static Validator atLeast(long min) {
    return (name, value) -> ((Number) value).longValue() >= min ? null : quote(name) + " must be >= " + min;
  }

  /** From {@code min} to {@code max}, both included. */
  static Validator between(long min, long max) {
    return (name, value) -> {
      long n = ((Number) value).longValue();
      return n >= min && n <= max ? null : quote(name) + " must be between " + min + " and " + max;
    };
  }

  /** A DURATION longer than zero. */
  static Validator positiveDuration() {
    return (name, value) -> ((Number) value).longValue() > 0 ? null : quote(name) + " must be longer than zero";
  }

  /** One of {@code allowed}, compared ignoring case. */
  static Validator oneOf(String... allowed) {
    List<String> values = List.of(allowed);
    String list = String.join(", ", values);
    return (name, value) -> values.stream().anyMatch(a -> a.equalsIgnoreCase(value.toString())) ? null
        : quote(name) + " must be one of " + list + ", not '" + value + "'";
  }

  /** The lower-case name of one of {@code type}'s constants, compared ignoring case. */
  static <E extends Enum<E>> Validator oneOf(Class<E> type) {
    return oneOf(Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toArray(String[]::new));
  }

  /** Any value {@code accepted} takes; the problem reads "'key' must be {@code expectation}". */
  static Validator matching(String expectation, Predicate<Object> accepted) {
    Objects.requireNonNull(expectation, "expectation");
    return (name, value) -> accepted.test(value) ? null : quote(name) + " must be " + expectation;
  }

  /** A string matching {@code regex} in full. */
  static Validator pattern(String regex, String expectation) {
    Pattern pattern = Pattern.compile(regex);
    return matching(expectation, value -> pattern.matcher(value.toString()).matches());
  }

  /** A string that is not empty or only spaces. */
  static Validator notBlank() {
    return (name, value) -> value.toString().isBlank() ? quote(name) + " must not be blank" : null;
  }

  /** An absolute {@code http://} or {@code https://} URL with a host (see {@link HttpEndpoint}). */
  static Validator httpUrl() {
    return (name, value) -> {
      String why = HttpEndpoint.problem(value.toString(), true);
      return why == null ? null : quote(name) + " must be an absolute http:// or https:// URL (" + why + ")";
    };
  }

  /** Like {@link #httpUrl()}, without query or fragment: a base that paths are appended to. */
  static Validator httpBaseUrl() {
    return (name, value) -> {
      String why = HttpEndpoint.problem(value.toString(), false);
      return why == null ? null : quote(name) + " must be an http:// or https:// base URL (" + why + ")";
    };
  }

  /** Every one of {@code validators}, reporting the first problem. */
  static Validator all(Validator... validators) {
    List<Validator> list = List.of(validators);
    return (name, value) -> list.stream().map(v -> v.check(name, value)).filter(Objects::nonNull).findFirst().orElse(null);
  }

  private static String quote(String name) {
    return "'" + name + "'";
  }
}
