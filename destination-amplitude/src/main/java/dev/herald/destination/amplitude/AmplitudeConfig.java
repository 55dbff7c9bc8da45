package dev.herald.destination.amplitude;

import dev.herald.destination.api.Limits;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code amplitude} destination's config, parsed and checked beyond what {@code ConfigSpec}
 * can express. {@link #toString()} never shows the API key.
 *
 * @param apiKey the Amplitude project's API key (a secret)
 * @param api which ingestion API to post to
 * @param endpoint base URL without a trailing slash, e.g. {@code https://api2.amplitude.com}
 * @param minIdLength sent as {@code options.min_id_length}, or null to keep Amplitude's default (5)
 * @param throttleHold how long a throttled user's or device's events are held back
 * @param timeoutMs connect timeout and longest silence while waiting for an answer
 * @param maxEventsPerRequest most events in one request (at most the API's own bound)
 * @param pageEventName event_type of a page call; {@code {name}} is replaced by the page's name
 * @param screenEventName event_type of a screen call; {@code {name}} is replaced by the screen's name
 * @param groupType Amplitude group type of a group call's groupId
 * @param groupTypeTrait a group trait whose value, when present, is the group type instead
 * @param aliasMode {@code identify} or {@code skip}
 */
public record AmplitudeConfig(
    String apiKey,
    AmplitudeApi api,
    String endpoint,
    Integer minIdLength,
    Duration throttleHold,
    int timeoutMs,
    int maxEventsPerRequest,
    String pageEventName,
    String screenEventName,
    String groupType,
    String groupTypeTrait,
    AliasMode aliasMode) {

  /** What an alias call becomes. */
  public enum AliasMode {
    /** An {@code $identify} carrying both ids, so Amplitude merges the previous (anonymous) id into the user. */
    IDENTIFY,
    /** Not sent; acknowledged as delivered. */
    SKIP
  }

  static final String API_KEY = "apiKey";
  static final String API = "api";
  static final String ENDPOINT = "endpoint";
  static final String MIN_ID_LENGTH = "minIdLength";
  static final String THROTTLE_HOLD = "throttleHold";
  static final String TIMEOUT_MS = "timeoutMs";
  static final String MAX_EVENTS_PER_REQUEST = "maxEventsPerRequest";
  static final String PAGE_EVENT_NAME = "pageEventName";
  static final String SCREEN_EVENT_NAME = "screenEventName";
  static final String GROUP_TYPE = "groupType";
  static final String GROUP_TYPE_TRAIT = "groupTypeTrait";
  static final String ALIAS_MODE = "aliasMode";

  static final String DEFAULT_ENDPOINT = "https://api2.amplitude.com";
  static final String DEFAULT_THROTTLE_HOLD = "30s";
  static final int DEFAULT_TIMEOUT_MS = 10_000;
  static final String DEFAULT_PAGE_EVENT_NAME = "Viewed {name} Page";
  static final String DEFAULT_SCREEN_EVENT_NAME = "Viewed {name} Screen";
  static final String DEFAULT_GROUP_TYPE = "group";

  /**
   * Parses a config already validated against the factory's spec (types checked).
   *
   * @throws IllegalArgumentException listing every unusable value at once, never echoing the key
   */
  public static AmplitudeConfig from(JsonObject config) {
    List<String> problems = new ArrayList<>();
    String apiKey = config.getString(API_KEY);
    if (apiKey == null || apiKey.isBlank()) problems.add("'" + API_KEY + "' is required");

    AmplitudeApi api = AmplitudeApi.HTTPV2;
    try {
      api = AmplitudeApi.parse(config.getString(API, AmplitudeApi.HTTPV2.configName()));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    String endpoint = config.getString(ENDPOINT, DEFAULT_ENDPOINT);
    if (!isBaseUrl(endpoint)) {
      problems.add("'" + ENDPOINT + "' must be an http:// or https:// base URL without query, e.g. " + DEFAULT_ENDPOINT);
    } else {
      endpoint = endpoint.replaceAll("/+$", "");
    }
    Integer minIdLength = config.getInteger(MIN_ID_LENGTH);
    if (minIdLength != null && minIdLength < 1) problems.add("'" + MIN_ID_LENGTH + "' must be >= 1");
    long holdMs = config.getLong(THROTTLE_HOLD, 30_000L); // a DURATION: milliseconds once defaults are filled
    if (holdMs < 1) problems.add("'" + THROTTLE_HOLD + "' must be at least 1ms");
    int timeoutMs = config.getInteger(TIMEOUT_MS, DEFAULT_TIMEOUT_MS);
    if (timeoutMs < 1) problems.add("'" + TIMEOUT_MS + "' must be >= 1");
    int maxEvents = config.getInteger(MAX_EVENTS_PER_REQUEST, api.maxEvents());
    if (maxEvents < 1 || maxEvents > api.maxEvents()) {
      problems.add("'" + MAX_EVENTS_PER_REQUEST + "' must be between 1 and " + api.maxEvents() + " for " + api.configName());
    }
    String pageName = config.getString(PAGE_EVENT_NAME, DEFAULT_PAGE_EVENT_NAME);
    String screenName = config.getString(SCREEN_EVENT_NAME, DEFAULT_SCREEN_EVENT_NAME);
    if (pageName.isBlank()) problems.add("'" + PAGE_EVENT_NAME + "' must not be blank");
    if (screenName.isBlank()) problems.add("'" + SCREEN_EVENT_NAME + "' must not be blank");
    String groupType = config.getString(GROUP_TYPE, DEFAULT_GROUP_TYPE);
    if (groupType.isBlank()) problems.add("'" + GROUP_TYPE + "' must not be blank");
    String groupTypeTrait = config.getString(GROUP_TYPE_TRAIT);
    AliasMode aliasMode = AliasMode.IDENTIFY;
    String aliasValue = config.getString(ALIAS_MODE, "identify");
    try {
      aliasMode = AliasMode.valueOf(aliasValue.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add("'" + ALIAS_MODE + "' must be identify or skip, not '" + aliasValue + "'");
    }
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return new AmplitudeConfig(apiKey, api, endpoint, minIdLength, Duration.ofMillis(holdMs), timeoutMs,
        maxEvents, pageName, screenName, groupType, groupTypeTrait, aliasMode);
  }

  /** The URL requests go to. */
  public String url() {
    return endpoint + api.path();
  }

  /**
   * What the framework may put in one batch: the request bounds. Payload bytes are Segment JSON,
   * usually larger than the Amplitude encoding; requests are cut again on their encoded size.
   */
  public Limits limits() {
    return new Limits(maxEventsPerRequest, api.maxBodyBytes() - 1, true);
  }

  @Override
  public String toString() {
    return "AmplitudeConfig{" + api.configName() + " " + url() + ", apiKey=******"
        + (minIdLength == null ? "" : ", minIdLength=" + minIdLength)
        + ", throttleHold=" + throttleHold.toMillis() + "ms, timeoutMs=" + timeoutMs
        + ", maxEventsPerRequest=" + maxEventsPerRequest + ", aliasMode=" + aliasMode.name().toLowerCase(Locale.ROOT) + "}";
  }

  private static boolean isBaseUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      return uri.getHost() != null && uri.getQuery() == null && uri.getFragment() == null
          && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
