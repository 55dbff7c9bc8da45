package dev.herald.launcher.config;

import java.time.Duration;

/** {@code ingest:} request limits and deduplication. */
public record IngestConfig(int maxEventBytes, int maxRequestBytes, int maxBatchEvents, Duration dedupWindow) {

  public static final IngestConfig DEFAULT = new IngestConfig(32 * 1024, 500 * 1024, 1000, Duration.ofHours(1));
}
