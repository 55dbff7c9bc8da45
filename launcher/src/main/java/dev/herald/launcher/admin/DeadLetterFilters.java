package dev.herald.launcher.admin;

import dev.herald.bus.deadletter.DeadLetterQuery;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The dead-letter filters, from a query string or a JSON body: {@code since} and {@code until}
 * (ISO-8601 instants), {@code reason} (text the reason contains), {@code status} (the last HTTP
 * status), {@code messageId}, {@code state} ({@code new}, {@code replayed}, {@code failed}), and for
 * listings {@code limit} and {@code offset}. A bad value is an {@link IllegalArgumentException}
 * naming every problem.
 */
final class DeadLetterFilters {

  static final Set<String> FILTER_KEYS = Set.of("since", "until", "reason", "status", "messageId", "state");

  private DeadLetterFilters() {}

  /** A listing's query string (with {@code limit} and {@code offset}). */
  static DeadLetterQuery fromParams(MultiMap params) {
    List<String> problems = new ArrayList<>();
    DeadLetterQuery q = read(params::get, problems);
    int limit = integer(params.get("limit"), "limit", DeadLetterQuery.DEFAULT_LIMIT, 1, DeadLetterQuery.MAX_LIMIT, problems);
    int offset = integer(params.get("offset"), "offset", 0, 0, Integer.MAX_VALUE, problems);
    throwIfAny(problems);
    return q.withLimit(limit).withOffset(offset);
  }

  /** Whether the query string names any filter (deleting everything must be asked for with {@code all=true}). */
  static boolean anyFilter(MultiMap params) {
    return FILTER_KEYS.stream().anyMatch(params::contains);
  }

  /** A JSON body's filters; {@code otherKeys} are the other keys it may hold. */
  static DeadLetterQuery fromJson(JsonObject body, Set<String> otherKeys) {
    List<String> problems = new ArrayList<>();
    for (String key : body.fieldNames()) {
      if (!FILTER_KEYS.contains(key) && !otherKeys.contains(key)) {
        problems.add("unknown field '" + key + "' (known: " + String.join(", ", sorted(FILTER_KEYS, otherKeys)) + ")");
      }
    }
    DeadLetterQuery q = read(key -> {
      Object v = body.getValue(key);
      return v == null ? null : String.valueOf(v);
    }, problems);
    throwIfAny(problems);
    return q;
  }

  private static DeadLetterQuery read(Function<String, String> get, List<String> problems) {
    Instant since = instant(get.apply("since"), "since", problems);
    Instant until = instant(get.apply("until"), "until", problems);
    if (since != null && until != null && until.isBefore(since)) problems.add("until is before since");
    String status = get.apply("status");
    Integer code = status == null ? null : integer(status, "status", 0, 0, 999, problems);
    DeadLetterQuery.State state = null;
    if (get.apply("state") != null) {
      try {
        state = DeadLetterQuery.State.parse(get.apply("state"));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) return DeadLetterQuery.firstPage();
    return DeadLetterQuery.firstPage().withTimeRange(since, until).withReasonContaining(get.apply("reason"))
        .withMessageId(get.apply("messageId")).withStatus(code).withState(state);
  }

  static int integer(String raw, String name, int defaultValue, int min, int max, List<String> problems) {
    if (raw == null) return defaultValue;
    try {
      int v = Integer.parseInt(raw.trim());
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add("'" + name + "' must be an integer from " + min + " to " + max);
    return defaultValue;
  }

  private static Instant instant(String raw, String name, List<String> problems) {
    if (raw == null) return null;
    try {
      return Instant.parse(raw.trim());
    } catch (DateTimeParseException e) {
      problems.add("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
      return null;
    }
  }

  static void throwIfAny(List<String> problems) {
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
  }

  private static List<String> sorted(Set<String> a, Set<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    all.sort(null);
    return all;
  }
}
