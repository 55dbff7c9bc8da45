package dev.herald.ingest;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the ingest HTTP API ({@code ingest:} and {@code sources:} in herald.yaml).
 *
 * @param host the interface to bind
 * @param port the port to bind; 0 picks a free one per instance (for tests: see
 *     {@link IngestVerticle#actualPort()}); instances share a fixed port
 * @param maxEventBytes the largest accepted event, in bytes of JSON as sent
 * @param maxRequestBytes the largest accepted request body, compressed and decompressed
 * @param maxBatchEvents the most events one batch may carry
 * @param sources the sources whose write keys are accepted
 */
public record IngestOptions(String host, int port, int maxEventBytes, int maxRequestBytes,
    int maxBatchEvents, List<SourceOptions> sources) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_EVENT_BYTES = 32 * 1024;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 500 * 1024;
  public static final int DEFAULT_MAX_BATCH_EVENTS = 1000;

  public IngestOptions {
    Objects.requireNonNull(host, "host");
    sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("ingest port must be within 0..65535, got " + port);
    }
    requirePositive("maxEventBytes", maxEventBytes);
    requirePositive("maxRequestBytes", maxRequestBytes);
    requirePositive("maxBatchEvents", maxBatchEvents);
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (SourceOptions source : sources) {
      if (!ids.add(source.id())) {
        throw new IllegalArgumentException("source id '" + source.id() + "' is used twice");
      }
      if (!keys.add(source.writeKey())) {
        // Naming the source, not the key: the key is a secret.
        throw new IllegalArgumentException("source '" + source.id() + "' reuses another source's write key");
      }
    }
  }

  /** The default limits on the default address. */
  public static IngestOptions defaults(List<SourceOptions> sources) {
    return new IngestOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_EVENT_BYTES,
        DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_BATCH_EVENTS, sources);
  }

  public IngestOptions withHost(String newHost) {
    return new IngestOptions(newHost, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources);
  }

  public IngestOptions withPort(int newPort) {
    return new IngestOptions(host, newPort, maxEventBytes, maxRequestBytes, maxBatchEvents, sources);
  }

  public IngestOptions withLimits(int newMaxEventBytes, int newMaxRequestBytes, int newMaxBatchEvents) {
    return new IngestOptions(host, port, newMaxEventBytes, newMaxRequestBytes, newMaxBatchEvents, sources);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("ingest " + name + " must be positive, got " + value);
    }
  }
}
