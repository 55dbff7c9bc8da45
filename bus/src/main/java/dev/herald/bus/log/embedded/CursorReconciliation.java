package dev.herald.bus.log.embedded;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the stored cursors in line with the log and the configured consumers: a cursor file can
 * outlive the records it points at (a torn tail truncated by recovery, segments deleted while
 * the log was down) or the destination it belonged to. Blocking file I/O: call off the event loop.
 */
final class CursorReconciliation {

  // the log's own category: these are the log's messages to operators, and logging config
  // and log searches name EmbeddedEventLog
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedEventLog.class);

  private CursorReconciliation() {}

  /**
   * Moves every cursor into [start, end] of the recovered log. A cursor past the end is clamped
   * (the records it had committed are gone with the torn tail); one before the start lost the
   * deleted events, which count as retention losses.
   */
  static void clampToLog(CursorStore cursors, Retention retention, long start, long end)
      throws IOException {
    for (Map.Entry<String, Long> cursor : cursors.snapshot().entrySet()) {
      long committed = cursor.getValue();
      if (committed > end) {
        LOG.warn("Consumer {} had committed offset {} beyond the recovered log end {}; clamped",
            cursor.getKey(), committed, end);
        cursors.set(cursor.getKey(), end);
      } else if (committed < start) {
        retention.recordLoss(cursor.getKey(), start - committed, start);
        cursors.set(cursor.getKey(), start);
      }
    }
  }

  /**
   * Deletes the cursors of consumers not in {@code kept}, so a destination removed from the
   * config no longer holds back retention, and returns whose were deleted.
   */
  static Set<String> dropAllBut(CursorStore cursors, Set<String> kept) throws IOException {
    Map<String, Long> dropped = cursors.retainOnly(kept);
    dropped.forEach((consumer, committed) -> LOG.warn("Dropped the cursor of consumer {} "
        + "(committed offset {}): no configured destination has that id, so retention no longer "
        + "waits for it; a destination added later under that id starts at the log start",
        consumer, committed));
    return dropped.keySet();
  }
}
