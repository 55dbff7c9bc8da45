package dev.herald.destination.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the events of one batch become a request body. */
public enum BodyMode {
  /** {@code [payload,payload,…]}, {@code application/json}. */
  ARRAY("application/json"),
  /** One payload per line, {@code application/x-ndjson}. */
  NDJSON("application/x-ndjson"),
  /** One request per event whose body is the bare payload, {@code application/json}. */
  SINGLE("application/json");

  private final String contentType;

  BodyMode(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /** @throws IllegalArgumentException for an unknown mode, listing the known ones */
  static BodyMode parse(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String known = Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
      throw new IllegalArgumentException("'" + HttpSinkConfig.BODY_MODE + "' must be one of " + known + ", not '" + value + "'");
    }
  }
}
