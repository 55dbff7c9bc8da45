package dev.herald.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the ingest HTTP API ({@code server:}, {@code ingest:} and {@code sources:} in
 * herald.yaml).
 *
 * @param host the interface to bind
 * @param port the port to bind; 0 picks a free one per instance (for tests: see
 *     {@link IngestVerticle#actualPort()}); instances share a fixed port
 * @param maxEventBytes the largest accepted event, in bytes of JSON as sent and again as stored
 *     (a batch's context and integrations merged in, Herald's fields added)
 * @param maxRequestBytes the largest accepted request body, compressed and decompressed
 * @param maxBatchEvents the most events one batch may carry
 * @param sources the sources whose write keys are accepted
 * @param json bounds on nesting depth, string and number length
 * @param trustProxy take the client address from {@code X-Forwarded-For} (only behind a proxy
 *     that sets it)
 * @param corsOrigins browser origins allowed to post (exact {@code scheme://host[:port]}, or
 *     {@code *} for any)
 * @param dedup the messageId deduplication window and its memory
 * @param server TLS and the request read timeout of the listener
 */
public record IngestOptions(String host, int port, int maxEventBytes, int maxRequestBytes,
    int maxBatchEvents, List<SourceOptions> sources, JsonLimits json, boolean trustProxy,
    List<String> corsOrigins, DedupOptions dedup, ServerOptions server) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_EVENT_BYTES = 32 * 1024;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 500 * 1024;
  public static final int DEFAULT_MAX_BATCH_EVENTS = 1000;

  public IngestOptions {
    Objects.requireNonNull(host, "host");
    sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
    Objects.requireNonNull(json, "json");
    corsOrigins = List.copyOf(Objects.requireNonNull(corsOrigins, "corsOrigins")).stream()
        .map(IngestOptions::normalizeOrigin).toList();
    Objects.requireNonNull(dedup, "dedup");
    Objects.requireNonNull(server, "server");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("ingest port must be within 0..65535, got " + port);
    }
    requirePositive("maxEventBytes", maxEventBytes);
    requirePositive("maxRequestBytes", maxRequestBytes);
    requirePositive("maxBatchEvents", maxBatchEvents);
    SourceTable.check(sources);
  }

  /** Plain HTTP with the default request read timeout. */
  public IngestOptions(String host, int port, int maxEventBytes, int maxRequestBytes, int maxBatchEvents,
      List<SourceOptions> sources, JsonLimits json, boolean trustProxy, List<String> corsOrigins, DedupOptions dedup) {
    this(host, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, json, trustProxy, corsOrigins, dedup,
        ServerOptions.DEFAULTS);
  }

  /** The limits and sources alone; the rest at its defaults. */
  public IngestOptions(String host, int port, int maxEventBytes, int maxRequestBytes, int maxBatchEvents,
      List<SourceOptions> sources) {
    this(host, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, JsonLimits.DEFAULTS, false,
        List.of(), DedupOptions.DEFAULTS);
  }

  /** The default limits on the default address. */
  public static IngestOptions defaults(List<SourceOptions> sources) {
    return new IngestOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_EVENT_BYTES,
        DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_BATCH_EVENTS, sources);
  }

  public IngestOptions withHost(String newHost) {
    return new IngestOptions(newHost, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, json,
        trustProxy, corsOrigins, dedup, server);
  }

  public IngestOptions withPort(int newPort) {
    return new IngestOptions(host, newPort, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, json,
        trustProxy, corsOrigins, dedup, server);
  }

  public IngestOptions withLimits(int newMaxEventBytes, int newMaxRequestBytes, int newMaxBatchEvents) {
    return new IngestOptions(host, port, newMaxEventBytes, newMaxRequestBytes, newMaxBatchEvents, sources, json,
        trustProxy, corsOrigins, dedup, server);
  }

  public IngestOptions withSources(List<SourceOptions> newSources) {
    return new IngestOptions(host, port, maxEventBytes, maxRequestBytes, maxBatchEvents, newSources, json,
        trustProxy, corsOrigins, dedup, server);
  }

  public IngestOptions withJsonLimits(JsonLimits newJson) {
    return new IngestOptions(host, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, newJson,
        trustProxy, corsOrigins, dedup, server);
  }

  public IngestOptions withTrustProxy(boolean newTrustProxy) {
    return new IngestOptions(host, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, json,
        newTrustProxy, corsOrigins, dedup, server);
  }

  public IngestOptions withCorsOrigins(List<String> newOrigins) {
    return new IngestOptions(host, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, json,
        trustProxy, newOrigins, dedup, server);
  }

  public IngestOptions withDedup(DedupOptions newDedup) {
    return new IngestOptions(host, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, json,
        trustProxy, corsOrigins, newDedup, server);
  }

  public IngestOptions withServer(ServerOptions newServer) {
    return new IngestOptions(host, port, maxEventBytes, maxRequestBytes, maxBatchEvents, sources, json,
        trustProxy, corsOrigins, dedup, newServer);
  }

  /**
   * The most bytes the events of one request may take once normalized (a batch's
   * {@code context} and {@code integrations} merged into every item, the added fields): twice
   * {@code maxRequestBytes}, plus 1 KB for each event a batch may hold. A request within the
   * limits cannot be stored many times over.
   */
  public long maxStoredRequestBytes() {
    return 2L * maxRequestBytes + 1024L * maxBatchEvents;
  }

  /** Origins compare as browsers send them: lower-case scheme and host, no trailing slash. */
  private static String normalizeOrigin(String origin) {
    Objects.requireNonNull(origin, "a CORS origin");
    String trimmed = origin.trim();
    if (trimmed.equals("*")) {
      return trimmed;
    }
    if (!trimmed.matches("(?i)https?://[^/\\s]+/?")) {
      throw new IllegalArgumentException("CORS origin '" + origin
          + "' must be scheme://host[:port] (such as https://app.example.com) or *");
    }
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.toLowerCase(Locale.ROOT);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("ingest " + name + " must be positive, got " + value);
    }
  }
}
