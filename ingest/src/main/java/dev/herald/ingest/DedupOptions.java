package dev.herald.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Deduplication of messageIds per source.
 *
 * @param window how long an accepted messageId is remembered; zero turns deduplication off
 * @param maxEntries the most messageIds remembered at once (memory: 14 to 29 bytes each); past
 *     it the oldest are forgotten early, so a very old duplicate may be stored again, but a
 *     new event is never taken for a duplicate because of it
 * @param stateDir where the remembered ids are persisted across restarts, or null to keep
 *     them in memory only
 */
public record DedupOptions(Duration window, int maxEntries, Path stateDir) {

  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  public static final int DEFAULT_MAX_ENTRIES = 2_000_000;
  public static final DedupOptions DEFAULTS = new DedupOptions(DEFAULT_WINDOW, DEFAULT_MAX_ENTRIES, null);

  public DedupOptions {
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException("ingest dedupWindow must not be negative, got " + window);
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("ingest dedupMaxEntries must be positive, got " + maxEntries);
    }
  }

  public boolean enabled() {
    return !window.isZero();
  }

  public DedupOptions withWindow(Duration newWindow) {
    return new DedupOptions(newWindow, maxEntries, stateDir);
  }

  public DedupOptions withStateDir(Path dir) {
    return new DedupOptions(window, maxEntries, dir);
  }

  public DedupOptions withMaxEntries(int entries) {
    return new DedupOptions(window, entries, stateDir);
  }
}
