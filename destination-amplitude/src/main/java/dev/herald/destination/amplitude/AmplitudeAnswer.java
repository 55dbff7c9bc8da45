package dev.herald.destination.amplitude;

import dev.herald.destination.api.RetryAfter;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Amplitude's answer to one request as far as classification needs it. Amplitude classifies by
 * the JSON body's {@code code}; the HTTP status stands in when the body has none (a proxy's
 * error page, an empty body).
 *
 * @param status the HTTP status, 0 when there was no answer
 * @param code the body's {@code code}, else the status
 * @param error the body's {@code error} text, or null
 * @param missingField the request-level field Amplitude misses ({@code api_key}, {@code events}), or null
 * @param badEvents request index to why that event is invalid (400)
 * @param throttledUsers user ids Amplitude throttles (429)
 * @param throttledDevices device ids Amplitude throttles (429)
 * @param throttledEvents request indexes of throttled events (429)
 * @param quotaUsers user ids over their daily quota (429)
 * @param quotaDevices device ids over their daily quota (429)
 * @param epsThreshold the events-per-second threshold Amplitude names in a 429, or null
 * @param retryAfter the {@code Retry-After} header's wait (seconds or a date), or null
 * @param excerpt the start of the body, for dead letters
 * @param failure why there was no answer (timeout, reset), or null
 */
record AmplitudeAnswer(int status, int code, String error, String missingField, Map<Integer, String> badEvents,
    Set<String> throttledUsers, Set<String> throttledDevices, Set<Integer> throttledEvents,
    Set<String> quotaUsers, Set<String> quotaDevices, Integer epsThreshold, Duration retryAfter,
    String excerpt, String failure) {

  static final int EXCERPT_CHARS = 1024;

  /** No answer at all. */
  static AmplitudeAnswer failed(String failure) {
    return new AmplitudeAnswer(0, 0, null, null, Map.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
        null, null, null, failure);
  }

  static AmplitudeAnswer parse(int status, String retryAfterHeader, String body) {
    JsonObject json = null;
    try {
      if (body != null && body.startsWith("{")) json = new JsonObject(body);
    } catch (DecodeException e) {
      json = null; // not Amplitude's JSON: classify by the status
    }
    String excerpt = body == null ? null : body.length() > EXCERPT_CHARS ? body.substring(0, EXCERPT_CHARS) : body;
    Duration retryAfter = RetryAfter.parse(retryAfterHeader);
    if (json == null) {
      return new AmplitudeAnswer(status, status, null, null, Map.of(), Set.of(), Set.of(), Set.of(), Set.of(),
          Set.of(), null, retryAfter, excerpt, null);
    }
    int code = json.getValue("code") instanceof Number n ? n.intValue() : status;
    Map<Integer, String> bad = new LinkedHashMap<>();
    fieldIndexes(json, "events_with_invalid_fields", "invalid value for '%s'", bad);
    fieldIndexes(json, "events_with_missing_fields", "missing required field '%s'", bad);
    fieldIndexes(json, "events_with_invalid_id_lengths", "'%s' shorter than the minimum id length", bad);
    for (int index : indexes(json.getValue("silenced_events"))) bad.putIfAbsent(index, "silenced by Amplitude");
    return new AmplitudeAnswer(status, code, text(json, "error"), text(json, "missing_field"), bad,
        keys(json, "throttled_users"), keys(json, "throttled_devices"), indexes(json.getValue("throttled_events")),
        keys(json, "exceeded_daily_quota_users"), keys(json, "exceeded_daily_quota_devices"),
        json.getValue("eps_threshold") instanceof Number n ? n.intValue() : null, retryAfter, excerpt, null);
  }

  /** Amplitude's words for a wrong key or path: a setup error, not a bad event. */
  boolean setupProblem() {
    if (error == null) return false;
    String text = error.toLowerCase(Locale.ROOT);
    return text.contains("api key") || text.contains("request path");
  }

  private static void fieldIndexes(JsonObject json, String name, String reason, Map<Integer, String> out) {
    if (!(json.getValue(name) instanceof JsonObject byField)) return;
    for (Map.Entry<String, Object> entry : byField) {
      for (int index : indexes(entry.getValue())) out.putIfAbsent(index, reason.formatted(entry.getKey()));
    }
  }

  private static Set<Integer> indexes(Object value) {
    Set<Integer> out = new HashSet<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof Number n) out.add(n.intValue());
      }
    }
    return out;
  }

  /** The keys of an id-to-rate map; a list of ids is taken as well. */
  private static Set<String> keys(JsonObject json, String name) {
    Object value = json.getValue(name);
    Set<String> out = new HashSet<>();
    if (value instanceof JsonObject map) {
      out.addAll(map.fieldNames());
    } else if (value instanceof JsonArray list) {
      for (Object item : list) {
        if (item instanceof String s) out.add(s);
      }
    }
    return out;
  }

  private static String text(JsonObject json, String name) {
    return json.getValue(name) instanceof String s && !s.isEmpty() ? s : null;
  }
}
