package dev.herald.launcher.config;

import java.time.Duration;

/**
 * {@code ingest:} request limits, JSON limits and deduplication.
 *
 * @param maxStringLength 0 when not set: the same as maxEventBytes
 * @param dedupWindow zero turns deduplication off
 */
public record IngestConfig(int maxEventBytes, int maxRequestBytes, int maxBatchEvents, Duration dedupWindow,
    int maxJsonDepth, int maxStringLength, int maxNumberLength, int dedupMaxEntries) {

  public static final int DEFAULT_MAX_JSON_DEPTH = 64;
  public static final int DEFAULT_MAX_NUMBER_LENGTH = 100;
  public static final int DEFAULT_DEDUP_MAX_ENTRIES = 2_000_000;
  public static final IngestConfig DEFAULT = new IngestConfig(32 * 1024, 500 * 1024, 1000, Duration.ofHours(1));

  /** The request limits and window, with the JSON limits and dedup memory at their defaults. */
  public IngestConfig(int maxEventBytes, int maxRequestBytes, int maxBatchEvents, Duration dedupWindow) {
    this(maxEventBytes, maxRequestBytes, maxBatchEvents, dedupWindow, DEFAULT_MAX_JSON_DEPTH, 0,
        DEFAULT_MAX_NUMBER_LENGTH, DEFAULT_DEDUP_MAX_ENTRIES);
  }
}
