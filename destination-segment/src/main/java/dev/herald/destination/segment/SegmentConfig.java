package dev.herald.destination.segment;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.ConfigSpec.Type;
import dev.herald.destination.api.ConfigValues;
import dev.herald.destination.api.HttpEndpoint;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.Validator;
import io.vertx.core.json.JsonObject;

/**
 * The {@code segment} destination's config: its keys, declared once in {@link #SPEC}, and the
 * typed record the destination reads. {@link #toString()} never shows the write key.
 */
public record SegmentConfig(String endpoint, String writeKey, boolean gzip, int timeoutMs) {

  static final String ENDPOINT = "endpoint";
  static final String WRITE_KEY = "writeKey";
  static final String GZIP = "gzip";
  static final String TIMEOUT_MS = "timeoutMs";

  static final String DEFAULT_ENDPOINT = "https://api.segment.io";
  static final int DEFAULT_TIMEOUT_MS = 10_000;

  /** Segment's Tracking API bounds: a request of at most 500 KB and 2,500 events, an event of at most 32 KB. */
  static final int MAX_REQUEST_BYTES = 500 * 1024;
  static final int MAX_EVENTS = 2_500;
  static final int MAX_EVENT_BYTES = 32 * 1024;

  /** The keys Herald validates a {@code config:} block against before {@link #from} reads it. */
  static final ConfigSpec SPEC = ConfigSpec.builder()
      .optional(ENDPOINT, Type.STRING, DEFAULT_ENDPOINT, "Base URL of a Segment-compatible Tracking API; events are"
          + " posted to `<endpoint>/v1/batch`: Segment, a RudderStack data plane, or another Herald's ingest", Validator.httpBaseUrl())
      .secret(WRITE_KEY, "The receiving source's write key, sent as HTTP Basic user with an empty password,"
          + " e.g. `${{ secrets.SEGMENT_WRITE_KEY }}`")
      .optional(GZIP, Type.BOOLEAN, false, "Compress request bodies (`Content-Encoding: gzip`); the size bounds apply"
          + " to the uncompressed JSON")
      .optional(TIMEOUT_MS, Type.INT, DEFAULT_TIMEOUT_MS,
          "Connect timeout, and longest silence while waiting for an answer, in milliseconds", Validator.atLeast(1))
      .build();

  /**
   * Reads a config block (defaults filled in here if Herald has not).
   *
   * @throws IllegalArgumentException listing every unusable value at once, never echoing the write key
   */
  public static SegmentConfig from(JsonObject config) {
    ConfigValues v = SPEC.parse(config);
    return new SegmentConfig(v.string(ENDPOINT).replaceAll("/+$", ""), v.string(WRITE_KEY), v.bool(GZIP),
        v.integer(TIMEOUT_MS));
  }

  /** Where batches are posted. */
  public String url() {
    return endpoint + "/v1/batch";
  }

  /** Scheme, host and port of the endpoint: safe for reasons and logs. */
  public String target() {
    return HttpEndpoint.target(endpoint);
  }

  /**
   * Batches the framework may hand over: the payload bytes leave room for the envelope, a comma
   * per event and the {@code sentAt} Herald adds, so the request stays within 500 KB.
   */
  public Limits limits() {
    return new Limits(MAX_EVENTS, MAX_REQUEST_BYTES - MAX_EVENTS - BatchBody.ENVELOPE_BYTES, true);
  }

  @Override
  public String toString() {
    return "SegmentConfig{" + target() + "/v1/batch, writeKey=******, gzip=" + gzip + ", timeoutMs=" + timeoutMs + "}";
  }
}
