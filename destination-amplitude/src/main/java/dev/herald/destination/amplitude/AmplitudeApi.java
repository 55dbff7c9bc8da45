package dev.herald.destination.amplitude;

import java.util.Locale;

/** Which Amplitude ingestion API a destination posts to, with that API's request bounds. */
public enum AmplitudeApi {
  /** {@code POST /2/httpapi}: at most 2000 events and under 1 MB a request. */
  HTTPV2("/2/httpapi", 2000, 1_000_000),
  /**
   * {@code POST /batch}: under 20 MB a request, for high-volume or historical uploads. Amplitude
   * documents no event count bound for it; Herald caps a request at 10,000 events.
   */
  BATCH("/batch", 10_000, 20_000_000);

  private final String path;
  private final int maxEvents;
  private final int maxBodyBytes;

  AmplitudeApi(String path, int maxEvents, int maxBodyBytes) {
    this.path = path;
    this.maxEvents = maxEvents;
    this.maxBodyBytes = maxBodyBytes;
  }

  public String path() {
    return path;
  }

  /** Most events in one request. */
  public int maxEvents() {
    return maxEvents;
  }

  /** A request body must stay strictly below this many bytes. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** The config spelling: {@code httpv2} or {@code batch}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
