package dev.herald.launcher.config;

import java.util.List;

/**
 * One entry of {@code sources:}: who may send events, with which write key.
 *
 * @param rateLimit null when unlimited
 * @param rawTopics raw topics (names or {@code *} globs) the source's key may post to; none by default
 */
public record SourceConfig(String id, String writeKey, IpPolicy ipPolicy, RateLimit rateLimit, List<String> rawTopics) {

  public SourceConfig {
    rawTopics = List.copyOf(rawTopics);
  }

  /** What happens to the client IP stored in {@code context.ip}. */
  public enum IpPolicy { KEEP, TRUNCATE, DROP }

  @Override
  public String toString() {
    return "SourceConfig[id=" + id + ", writeKey=******, ipPolicy=" + ipPolicy + ", rateLimit=" + rateLimit
        + ", rawTopics=" + rawTopics + "]";
  }
}
