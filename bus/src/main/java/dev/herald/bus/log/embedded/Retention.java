package dev.herald.bus.log.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes whole closed segments, oldest first: freely once every consumer's cursor has passed
 * them, and also before that when {@code retention.maxBytes} or {@code retention.maxAge} forces
 * it, in which case every consumer that had not committed the deleted events is moved to the new
 * log start and its loss is logged and counted. With no consumers at all nothing is deleted
 * inside the bounds, so a destination added later still finds the events.
 */
final class Retention {

  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final EmbeddedLogOptions options;
  private final Path segmentsDir;
  private final ConcurrentSkipListMap<Long, Segment> segments;
  private final CursorStore cursors;
  private final ConcurrentHashMap<String, Long> losses = new ConcurrentHashMap<>();

  Retention(EmbeddedLogOptions options, Path segmentsDir,
      ConcurrentSkipListMap<Long, Segment> segments, CursorStore cursors) {
    this.options = options;
    this.segmentsDir = segmentsDir;
    this.segments = segments;
    this.cursors = cursors;
  }

  /** Events each consumer lost to retention since the log opened. */
  Map<String, Long> losses() {
    return Map.copyOf(losses);
  }

  /** One pass; callers make sure passes never overlap. */
  void run(long endOffset) throws IOException {
    Map<String, Long> committed = cursors.snapshot();
    long slowest = committed.values().stream().mapToLong(Long::longValue).min().orElse(-1);
    long totalBytes = segments.values().stream().mapToLong(s -> s.sizeBytes).sum();
    long ageLimit = options.retentionMaxAge() == null ? Long.MIN_VALUE
        : System.currentTimeMillis() - options.retentionMaxAge().toMillis();
    long maxBytes = options.retentionMaxBytes();
    boolean forced = false;
    boolean deleted = false;
    while (true) {
      Map.Entry<Long, Segment> oldest = segments.firstEntry();
      Long successor = segments.higherKey(oldest.getKey());
      // a successor holding a durable record proves the oldest is closed for good
      if (successor == null || successor >= endOffset) {
        break;
      }
      Segment segment = oldest.getValue();
      boolean passed = slowest >= successor;
      boolean overBytes = maxBytes > 0 && totalBytes > maxBytes;
      boolean overAge = ageLimit != Long.MIN_VALUE && lastModified(segment) < ageLimit;
      if (!passed && !overBytes && !overAge) {
        break;
      }
      segments.remove(segment.baseOffset);
      Files.deleteIfExists(segment.path);
      totalBytes -= segment.sizeBytes;
      forced |= !passed;
      deleted = true;
      LOG.info("Retention deleted {} (offsets {} to {}, {} bytes){}", segment.path,
          segment.baseOffset, successor - 1, segment.sizeBytes,
          passed ? "" : overBytes ? ": over retention.maxBytes" : ": over retention.maxAge");
    }
    if (deleted) {
      CursorStore.forceDirectory(segmentsDir);
    }
    if (forced) {
      moveLaggingConsumers(committed.keySet());
    }
  }

  private void moveLaggingConsumers(Iterable<String> consumers) throws IOException {
    long start = segments.firstKey();
    for (String consumer : consumers) {
      long lost = cursors.raiseTo(consumer, start);
      if (lost > 0) {
        recordLoss(consumer, lost, start);
      }
    }
  }

  /** Logs and counts that {@code consumer} lost the {@code lost} events right below {@code start}. */
  void recordLoss(String consumer, long lost, long start) {
    losses.merge(consumer, lost, Long::sum);
    LOG.warn("Consumer {} lost {} events (offsets {} to {}) to retention; it resumes at the "
        + "log start {}", consumer, lost, start - lost, start - 1, start);
  }

  private static long lastModified(Segment segment) throws IOException {
    try {
      return Files.getLastModifiedTime(segment.path).toMillis();
    } catch (NoSuchFileException gone) {
      return Long.MIN_VALUE;
    }
  }
}
