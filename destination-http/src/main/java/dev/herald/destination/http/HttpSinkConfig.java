package dev.herald.destination.http;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.ConfigSpec.Type;
import dev.herald.destination.api.ConfigValues;
import dev.herald.destination.api.HttpEndpoint;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.Validator;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code http} destination's config: its keys, declared once in {@link #SPEC} with their
 * checks, and the typed record the destination reads. {@link #toString()} never shows header
 * values or credentials.
 */
public record HttpSinkConfig(
    String endpoint,
    HttpMethod method,
    Map<String, String> headers,
    String bearerToken,
    String basicUser,
    String basicPassword,
    BodyMode bodyMode,
    int timeoutMs,
    int maxEvents,
    long maxBytes,
    boolean ordered,
    StatusList retryStatuses,
    StatusList rejectStatuses,
    StatusList setupErrorStatuses) {

  static final String ENDPOINT = "endpoint";
  static final String METHOD = "method";
  static final String HEADERS = "headers";
  static final String BEARER_TOKEN = "bearerToken";
  static final String BASIC_USER = "basicUser";
  static final String BASIC_PASSWORD = "basicPassword";
  static final String BODY_MODE = "bodyMode";
  static final String TIMEOUT_MS = "timeoutMs";
  static final String MAX_EVENTS = "maxEvents";
  static final String MAX_BYTES = "maxBytes";
  static final String ORDERED = "ordered";
  static final String RETRY_STATUSES = "retryStatuses";
  static final String REJECT_STATUSES = "rejectStatuses";
  static final String SETUP_ERROR_STATUSES = "setupErrorStatuses";

  static final int DEFAULT_TIMEOUT_MS = 10_000;
  static final int DEFAULT_MAX_EVENTS = 500;
  static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;

  private static final List<String> METHODS = List.of("POST", "PUT", "PATCH");

  /** The keys Herald validates a {@code config:} block against before {@link #from} reads it. */
  static final ConfigSpec SPEC = ConfigSpec.builder()
      .required(ENDPOINT, Type.STRING, "Absolute http:// or https:// URL the events are sent to", Validator.httpUrl())
      .optional(METHOD, Type.STRING, "POST", "HTTP method: POST, PUT or PATCH", (name, value) ->
          METHODS.contains(value.toString().toUpperCase(Locale.ROOT)) ? null
              : "'" + name + "' must be POST, PUT or PATCH, not '" + value + "'")
      // Header values may carry credentials, so the whole object is masked in any output.
      .optionalSecret(HEADERS, Type.OBJECT, "Extra request headers, name to string value; values may be secrets")
      .optionalSecret(BEARER_TOKEN, Type.STRING, "Sends 'Authorization: Bearer <token>'")
      .optional(BASIC_USER, Type.STRING, null, "User name for HTTP basic authentication")
      .optionalSecret(BASIC_PASSWORD, Type.STRING, "Password for HTTP basic authentication (needs basicUser)")
      .choice(BODY_MODE, "array", "array: one JSON array of payloads per request; ndjson: one payload per line;"
          + " single: one request per event with an Idempotency-Key header", "array", "ndjson", "single")
      .optional(TIMEOUT_MS, Type.INT, DEFAULT_TIMEOUT_MS,
          "Connect timeout, and longest silence while waiting for the answer, in milliseconds", Validator.atLeast(1))
      .optional(MAX_EVENTS, Type.INT, DEFAULT_MAX_EVENTS, "Most events in one request", Validator.atLeast(1))
      .size(MAX_BYTES, DEFAULT_MAX_BYTES, "Most payload bytes in one request")
      .optional(ORDERED, Type.BOOLEAN, true, "Keep events of one user in log order (false allows parallel requests)")
      .optional(SETUP_ERROR_STATUSES, Type.LIST, new JsonArray().add(401).add(403).add(407),
          "Statuses that mean Herald is set up wrong (credentials): the destination parks as misconfigured,"
              + " nothing is dead-lettered, a probe goes every breaker.reset. First match wins: this list, then"
              + " retryStatuses, then rejectStatuses; entries: 404, \"502-504\" or \"5xx\"", StatusList::problem)
      .optional(RETRY_STATUSES, Type.LIST, new JsonArray().add(408).add(429).add(500).add("502-504").add("506-599"),
          "Statuses retried later (honouring Retry-After)", StatusList::problem)
      .optional(REJECT_STATUSES, Type.LIST, new JsonArray().add("4xx").add(501).add(505),
          "Statuses that reject the batch's events into dead letters; a status in no list is rejected too",
          StatusList::problem)
      .check(HttpSinkConfig::headerValuesAreStrings)
      .check(v -> v.has(BASIC_PASSWORD) && !v.has(BASIC_USER) ? "'" + BASIC_PASSWORD + "' needs '" + BASIC_USER + "'" : null)
      .check(v -> v.has(BEARER_TOKEN) && v.has(BASIC_USER)
          ? "use either '" + BEARER_TOKEN + "' or '" + BASIC_USER + "', not both" : null)
      .check(v -> (v.has(BEARER_TOKEN) || v.has(BASIC_USER)) && v.has(HEADERS)
          && v.object(HEADERS).fieldNames().stream().anyMatch("Authorization"::equalsIgnoreCase)
          ? "'" + HEADERS + ".Authorization' conflicts with '" + BEARER_TOKEN + "'/'" + BASIC_USER + "'" : null)
      .build();

  public HttpSinkConfig {
    headers = Map.copyOf(headers);
  }

  /**
   * Reads a config block (defaults filled in here if Herald has not).
   *
   * @throws IllegalArgumentException listing every unusable value at once, without echoing secrets
   */
  public static HttpSinkConfig from(JsonObject config) {
    ConfigValues v = SPEC.parse(config);
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject headerConfig = v.has(HEADERS) ? v.object(HEADERS) : new JsonObject();
    headerConfig.forEach(e -> headers.put(e.getKey(), (String) e.getValue()));
    return new HttpSinkConfig(v.string(ENDPOINT), HttpMethod.valueOf(v.string(METHOD).toUpperCase(Locale.ROOT)), headers,
        v.string(BEARER_TOKEN), v.string(BASIC_USER), v.string(BASIC_PASSWORD), v.choice(BODY_MODE, BodyMode.class),
        v.integer(TIMEOUT_MS), v.integer(MAX_EVENTS), v.size(MAX_BYTES), v.bool(ORDERED),
        StatusList.of(v.list(RETRY_STATUSES)), StatusList.of(v.list(REJECT_STATUSES)),
        StatusList.of(v.list(SETUP_ERROR_STATUSES)));
  }

  /** One event per request in {@code single} mode; otherwise the configured bounds. */
  public Limits limits() {
    return new Limits(bodyMode == BodyMode.SINGLE ? 1 : maxEvents, maxBytes, ordered);
  }

  /** Scheme, host and port of the endpoint: safe for reasons and logs. */
  public String target() {
    return HttpEndpoint.target(endpoint);
  }

  @Override
  public String toString() {
    return "HttpSinkConfig{" + method + " " + target() + ", headers=" + headers.keySet()
        + ", auth=" + (bearerToken != null ? "bearer" : basicUser != null ? "basic" : "none")
        + ", bodyMode=" + bodyMode + ", timeoutMs=" + timeoutMs + ", " + limits() + "}";
  }

  /** The value is not echoed: it may be a resolved secret. */
  private static String headerValuesAreStrings(ConfigValues v) {
    if (!v.has(HEADERS)) return null;
    List<String> bad = v.object(HEADERS).stream().filter(e -> !(e.getValue() instanceof String))
        .map(e -> "'" + HEADERS + "." + e.getKey() + "'").toList();
    return bad.isEmpty() ? null : String.join(", ", bad) + " must be " + (bad.size() == 1 ? "a string" : "strings");
  }
}
