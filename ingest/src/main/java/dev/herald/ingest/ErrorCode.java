package dev.herald.ingest;

/** The machine-readable {@code code} of an ingest error and the HTTP status it is sent with. */
public enum ErrorCode {
  INVALID_WRITE_KEY(401),
  INVALID_JSON(400),
  INVALID_BATCH(400),
  INVALID_EVENT(400),
  INVALID_ENCODING(400),
  INVALID_CHARSET(400),
  INVALID_TOPIC(400),
  NESTING_TOO_DEEP(400),
  NUMBER_TOO_LONG(400),
  BAD_REQUEST(400),
  ORIGIN_NOT_ALLOWED(403),
  TOPIC_NOT_ALLOWED(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  REQUEST_TIMEOUT(408),
  PAYLOAD_TOO_LARGE(413),
  EVENT_TOO_LARGE(413),
  BATCH_TOO_LARGE(413),
  STRING_TOO_LONG(413),
  URI_TOO_LONG(414),
  UNSUPPORTED_MEDIA_TYPE(415),
  RATE_LIMITED(429),
  HEADERS_TOO_LARGE(431),
  LOG_UNAVAILABLE(503),
  INTERNAL_ERROR(500);

  private final int status;
  private final String wireName;

  ErrorCode(int status) {
    this.status = status;
    this.wireName = name().toLowerCase(java.util.Locale.ROOT);
  }

  public int status() {
    return status;
  }

  /** The {@code code} field of the JSON error body, e.g. {@code invalid_write_key}. */
  public String wireName() {
    return wireName;
  }
}
