package dev.herald.ingest;

import java.util.Objects;

/**
 * A source: a producer of events identified by its write key.
 *
 * @param id the source's name, stamped on every event it sends
 * @param writeKey the secret clients send; never logged nor printed
 */
public record SourceOptions(String id, String writeKey) {

  public SourceOptions {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(writeKey, "writeKey");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a source id must not be blank");
    }
    if (writeKey.isBlank()) {
      throw new IllegalArgumentException("source '" + id + "' has a blank write key");
    }
  }

  /** Keeps the write key out of logs and error messages. */
  @Override
  public String toString() {
    return "SourceOptions[id=" + id + ", writeKey=***]";
  }
}
