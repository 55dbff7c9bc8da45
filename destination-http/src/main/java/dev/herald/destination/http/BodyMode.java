package dev.herald.destination.http;

/** How the events of one batch become a request body ({@code bodyMode}, written in lower case). */
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
}
