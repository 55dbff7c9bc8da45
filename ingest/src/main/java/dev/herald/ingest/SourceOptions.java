package dev.herald.ingest;

import java.util.Objects;

/**
 * A source: a producer of events identified by its write key.
 *
 * @param id the source's name, stamped on every event it sends
 * @param writeKey the secret clients send; never logged nor printed
 * @param ipPolicy what happens to the client address in {@code context.ip}
 * @param rateLimit the source's token bucket, or null for no limit
 */
public record SourceOptions(String id, String writeKey, IpPolicy ipPolicy, RateLimit rateLimit) {

  public SourceOptions {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(writeKey, "writeKey");
    Objects.requireNonNull(ipPolicy, "ipPolicy");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a source id must not be blank");
    }
    if (writeKey.isBlank()) {
      throw new IllegalArgumentException("source '" + id + "' has a blank write key");
    }
  }

  /** A source that keeps client addresses and has no rate limit. */
  public SourceOptions(String id, String writeKey) {
    this(id, writeKey, IpPolicy.KEEP, null);
  }

  public SourceOptions withIpPolicy(IpPolicy policy) {
    return new SourceOptions(id, writeKey, policy, rateLimit);
  }

  public SourceOptions withRateLimit(RateLimit limit) {
    return new SourceOptions(id, writeKey, ipPolicy, limit);
  }

  /** Keeps the write key out of logs and error messages. */
  @Override
  public String toString() {
    return "SourceOptions[id=" + id + ", writeKey=***, ipPolicy=" + ipPolicy + ", rateLimit=" + rateLimit + "]";
  }
}
