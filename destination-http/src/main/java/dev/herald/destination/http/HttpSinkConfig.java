package dev.herald.destination.http;

import dev.herald.destination.api.Limits;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code http} destination's config, parsed and checked beyond what {@code ConfigSpec}
 * can express. {@link #toString()} never shows header values or credentials.
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
    boolean ordered) {

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

  static final int DEFAULT_TIMEOUT_MS = 10_000;
  static final int DEFAULT_MAX_EVENTS = 500;
  static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;

  private static final List<HttpMethod> METHODS = List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

  public HttpSinkConfig {
    headers = Map.copyOf(headers);
  }

  /**
   * Parses a config already validated against the factory's spec (types checked).
   *
   * @throws IllegalArgumentException listing every unusable value at once, without echoing secrets
   */
  public static HttpSinkConfig from(JsonObject config) {
    List<String> problems = new ArrayList<>();
    String endpoint = config.getString(ENDPOINT);
    if (endpoint == null) {
      problems.add("'" + ENDPOINT + "' is required");
    } else if (!isHttpUrl(endpoint)) {
      problems.add("'" + ENDPOINT + "' must be an absolute http:// or https:// URL");
    }
    String methodName = config.getString(METHOD, "POST").toUpperCase(Locale.ROOT);
    HttpMethod method = METHODS.stream().filter(m -> m.name().equals(methodName)).findFirst().orElse(null);
    if (method == null) problems.add("'" + METHOD + "' must be POST, PUT or PATCH, not '" + methodName + "'");

    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject headerConfig = config.getJsonObject(HEADERS, new JsonObject());
    for (String name : headerConfig.fieldNames()) {
      // The value is not echoed: it may be a resolved secret.
      if (headerConfig.getValue(name) instanceof String value) headers.put(name, value);
      else problems.add("'" + HEADERS + "." + name + "' must be a string");
    }

    String bearerToken = config.getString(BEARER_TOKEN);
    String basicUser = config.getString(BASIC_USER);
    String basicPassword = config.getString(BASIC_PASSWORD);
    if (basicPassword != null && basicUser == null) problems.add("'" + BASIC_PASSWORD + "' needs '" + BASIC_USER + "'");
    if (bearerToken != null && basicUser != null) {
      problems.add("use either '" + BEARER_TOKEN + "' or '" + BASIC_USER + "', not both");
    }
    if ((bearerToken != null || basicUser != null) && headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
      problems.add("'" + HEADERS + ".Authorization' conflicts with '" + BEARER_TOKEN + "'/'" + BASIC_USER + "'");
    }

    BodyMode bodyMode = BodyMode.ARRAY;
    try {
      bodyMode = BodyMode.parse(config.getString(BODY_MODE, "array"));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    int timeoutMs = config.getInteger(TIMEOUT_MS, DEFAULT_TIMEOUT_MS);
    if (timeoutMs < 1) problems.add("'" + TIMEOUT_MS + "' must be >= 1");
    int maxEvents = config.getInteger(MAX_EVENTS, DEFAULT_MAX_EVENTS);
    if (maxEvents < 1) problems.add("'" + MAX_EVENTS + "' must be >= 1");
    long maxBytes = config.getLong(MAX_BYTES, DEFAULT_MAX_BYTES);
    if (maxBytes < 1) problems.add("'" + MAX_BYTES + "' must be >= 1");
    boolean ordered = config.getBoolean(ORDERED, true);

    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return new HttpSinkConfig(endpoint, method, headers, bearerToken, basicUser, basicPassword, bodyMode,
        timeoutMs, maxEvents, maxBytes, ordered);
  }

  /** One event per request in {@code single} mode; otherwise the configured bounds. */
  public Limits limits() {
    return new Limits(bodyMode == BodyMode.SINGLE ? 1 : maxEvents, maxBytes, ordered);
  }

  /**
   * Scheme, host and port of the endpoint: safe for reasons and logs, since paths and query
   * strings often carry keys (webhook URLs, {@code ?api_key=}).
   */
  public String target() {
    URI uri = URI.create(endpoint);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  @Override
  public String toString() {
    return "HttpSinkConfig{" + method + " " + target() + ", headers=" + headers.keySet()
        + ", auth=" + (bearerToken != null ? "bearer" : basicUser != null ? "basic" : "none")
        + ", bodyMode=" + bodyMode + ", timeoutMs=" + timeoutMs + ", " + limits() + "}";
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      return uri.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
