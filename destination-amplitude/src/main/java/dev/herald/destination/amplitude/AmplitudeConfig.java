package dev.herald.destination.amplitude;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.ConfigSpec.Type;
import dev.herald.destination.api.ConfigValues;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.Validator;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code amplitude} destination's config: its keys, declared once in {@link #SPEC} with their
 * checks, and the typed record the destination reads. {@link #toString()} never shows the API key.
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

  /** The keys Herald validates a {@code config:} block against before {@link #from} reads it. */
  static final ConfigSpec SPEC = ConfigSpec.builder()
      .secret(API_KEY, "The Amplitude project's API key, e.g. `${{ secrets.AMPLITUDE_API_KEY }}`")
      .choice(API, AmplitudeApi.class, AmplitudeApi.HTTPV2,
          "`httpv2` (`POST /2/httpapi`: up to 2000 events and under 1 MB a request) or `batch`"
              + " (`POST /batch`: under 20 MB a request, for high volume)")
      .optional(ENDPOINT, Type.STRING, DEFAULT_ENDPOINT,
          "Base URL; `https://api.eu.amplitude.com` for EU data residency", Validator.httpBaseUrl())
      .optional(MIN_ID_LENGTH, Type.INT, null,
          "Sent as `options.min_id_length`: shortest accepted `user_id`/`device_id` (Amplitude's default is 5)",
          Validator.atLeast(1))
      .duration(THROTTLE_HOLD, DEFAULT_THROTTLE_HOLD,
          "How long the events of a user or device Amplitude throttles (429) are held back;"
              + " other users' events keep flowing")
      .optional(TIMEOUT_MS, Type.INT, DEFAULT_TIMEOUT_MS,
          "Connect timeout, and longest silence while waiting for an answer, in milliseconds", Validator.atLeast(1))
      .optional(MAX_EVENTS_PER_REQUEST, Type.INT, null,
          "Most events in one request (default and upper bound: 2000 for `httpv2`, 10000 for `batch`)",
          Validator.atLeast(1))
      .optional(PAGE_EVENT_NAME, Type.STRING, DEFAULT_PAGE_EVENT_NAME,
          "`event_type` of a page call; `{name}` becomes the page's name (dropped when it has none)", Validator.notBlank())
      .optional(SCREEN_EVENT_NAME, Type.STRING, DEFAULT_SCREEN_EVENT_NAME,
          "`event_type` of a screen call; `{name}` becomes the screen's name (dropped when it has none)",
          Validator.notBlank())
      .optional(GROUP_TYPE, Type.STRING, DEFAULT_GROUP_TYPE,
          "Amplitude group type a group call's `groupId` is set under", Validator.notBlank())
      .optional(GROUP_TYPE_TRAIT, Type.STRING, null,
          "A group trait whose value, when present, is the group type instead of `groupType`")
      .choice(ALIAS_MODE, AliasMode.class, AliasMode.IDENTIFY,
          "`identify`: an alias becomes an `$identify` with `user_id` = userId and `device_id` = previousId,"
              + " so Amplitude merges the anonymous history into the user; `skip`: aliases are acknowledged, not sent")
      .check(v -> {
        AmplitudeApi api = v.choice(API, AmplitudeApi.class);
        Integer max = v.integer(MAX_EVENTS_PER_REQUEST);
        return max == null || max <= api.maxEvents() ? null
            : "'" + MAX_EVENTS_PER_REQUEST + "' must be between 1 and " + api.maxEvents() + " for " + api.configName();
      })
      .build();

  /**
   * Reads a config block (defaults filled in here if Herald has not).
   *
   * @throws IllegalArgumentException listing every unusable value at once, never echoing the key
   */
  public static AmplitudeConfig from(JsonObject config) {
    ConfigValues v = SPEC.parse(config);
    AmplitudeApi api = v.choice(API, AmplitudeApi.class);
    Integer maxEvents = v.integer(MAX_EVENTS_PER_REQUEST);
    return new AmplitudeConfig(v.string(API_KEY), api, v.string(ENDPOINT).replaceAll("/+$", ""),
        v.integer(MIN_ID_LENGTH), v.duration(THROTTLE_HOLD), v.integer(TIMEOUT_MS),
        maxEvents == null ? api.maxEvents() : maxEvents, v.string(PAGE_EVENT_NAME), v.string(SCREEN_EVENT_NAME),
        v.string(GROUP_TYPE), v.string(GROUP_TYPE_TRAIT), v.choice(ALIAS_MODE, AliasMode.class));
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
}
