package dev.herald.ingest;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A source: a producer of events identified by its write key.
 *
 * @param id the source's name, stamped on every event it sends
 * @param writeKey the secret clients send; never logged nor printed
 * @param ipPolicy what happens to the client address in {@code context.ip}
 * @param rateLimit the source's token bucket, or null for no limit
 * @param rawTopics the raw topics its key may post to ({@code /v1/topics/{topic}}): names, or
 *     globs where {@code *} matches any run of characters; none by default, since a key that
 *     ships in a web page must not be able to feed records to raw-topic destinations
 */
public record SourceOptions(String id, String writeKey, IpPolicy ipPolicy, RateLimit rateLimit,
    List<String> rawTopics) {

  /** A raw topic name, or a glob of one. */
  private static final Pattern TOPIC_GLOB = Pattern.compile("[A-Za-z0-9._*-]{1,200}");

  public SourceOptions {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(writeKey, "writeKey");
    Objects.requireNonNull(ipPolicy, "ipPolicy");
    rawTopics = List.copyOf(Objects.requireNonNull(rawTopics, "rawTopics"));
    for (String glob : rawTopics) {
      if (!TOPIC_GLOB.matcher(glob).matches()) {
        throw new IllegalArgumentException("source '" + id + "': rawTopics entry '" + glob
            + "' is not a topic name or glob (letters, digits, '.', '_', '-', and '*' for any run of them)");
      }
    }
    if (id.isBlank()) {
      throw new IllegalArgumentException("a source id must not be blank");
    }
    if (writeKey.isBlank()) {
      throw new IllegalArgumentException("source '" + id + "' has a blank write key");
    }
  }

  /** A source that posts to no raw topic. */
  public SourceOptions(String id, String writeKey, IpPolicy ipPolicy, RateLimit rateLimit) {
    this(id, writeKey, ipPolicy, rateLimit, List.of());
  }

  /** A source that keeps client addresses, has no rate limit and posts to no raw topic. */
  public SourceOptions(String id, String writeKey) {
    this(id, writeKey, IpPolicy.KEEP, null);
  }

  public SourceOptions withIpPolicy(IpPolicy policy) {
    return new SourceOptions(id, writeKey, policy, rateLimit, rawTopics);
  }

  public SourceOptions withRateLimit(RateLimit limit) {
    return new SourceOptions(id, writeKey, ipPolicy, limit, rawTopics);
  }

  public SourceOptions withRawTopics(List<String> topics) {
    return new SourceOptions(id, writeKey, ipPolicy, rateLimit, topics);
  }

  /** Whether this source's key may post records to {@code topic}. */
  public boolean allowsRawTopic(String topic) {
    for (String glob : rawTopics) {
      if (globMatches(glob, topic)) {
        return true;
      }
    }
    return false;
  }

  /** {@code *} matches any run of characters; everything else matches itself. */
  private static boolean globMatches(String glob, String text) {
    String[] parts = glob.split("\\*", -1);
    if (parts.length == 1) {
      return glob.equals(text);
    }
    if (!text.startsWith(parts[0])) {
      return false;
    }
    int at = parts[0].length();
    for (int i = 1; i < parts.length - 1; i++) {
      int found = text.indexOf(parts[i], at);
      if (found < 0) {
        return false;
      }
      at = found + parts[i].length();
    }
    String last = parts[parts.length - 1];
    return text.length() - at >= last.length() && text.endsWith(last);
  }

  /** Keeps the write key out of logs and error messages. */
  @Override
  public String toString() {
    return "SourceOptions[id=" + id + ", writeKey=***, ipPolicy=" + ipPolicy + ", rateLimit=" + rateLimit
        + ", rawTopics=" + rawTopics + "]";
  }
}
