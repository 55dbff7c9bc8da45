package dev.herald.launcher.config;

/**
 * One entry of {@code sources:}: who may send events, with which write key.
 *
 * @param rateLimit null when unlimited
 */
public record SourceConfig(String id, String writeKey, IpPolicy ipPolicy, RateLimit rateLimit) {

  /** What happens to the client IP stored in {@code context.ip}. */
  public enum IpPolicy { KEEP, TRUNCATE, DROP }

  @Override
  public String toString() {
    return "SourceConfig[id=" + id + ", writeKey=******, ipPolicy=" + ipPolicy + ", rateLimit=" + rateLimit + "]";
  }
}
