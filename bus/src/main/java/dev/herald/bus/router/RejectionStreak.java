package dev.herald.bus.router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net for a setup error the plugin cannot tell from a bad event (a wrong URL answering
 * 404 to everything): when every event of many batches in a row is rejected with one status, the
 * destination is flagged suspect (in its status, logged once). Delivery is unchanged: those
 * rejections may be real. A batch with any event delivered (or failing otherwise) ends the streak
 * and the flag. Written on the runner's event loop only; {@link #suspect()} is read from any thread.
 */
final class RejectionStreak {

  private static final Logger LOG = LoggerFactory.getLogger(RejectionStreak.class);
  /** Batches in a row, every event rejected with the same status, that make a destination suspect. */
  static final int SUSPECT_AFTER_BATCHES = 20;

  private final String id;
  private int status = -1;
  private int batches;
  private volatile String suspect;

  RejectionStreak(String id) {
    this.id = id;
  }

  /** Counts a send's outcome (before exhausted retries become dead letters). */
  void observe(BatchOutcome outcome) {
    boolean allRejected = !outcome.rejected().isEmpty() && outcome.delivered().isEmpty() && outcome.retry().isEmpty()
        && outcome.held().isEmpty() && outcome.misconfigured().isEmpty();
    int batchStatus = allRejected ? outcome.rejected().get(0).lastStatus : -1;
    if (allRejected) {
      for (PendingEvent item : outcome.rejected()) {
        if (item.lastStatus != batchStatus) batchStatus = -1;
      }
    }
    if (batchStatus == -1) {
      if (!outcome.delivered().isEmpty()) {
        batches = 0;
        status = -1;
        suspect = null;
      }
      return; // retries and mixed answers neither extend nor end a streak
    }
    batches = batchStatus == status ? batches + 1 : 1;
    status = batchStatus;
    if (batches == SUSPECT_AFTER_BATCHES && suspect == null) {
      suspect = "every event of the last " + batches + " batches was rejected with status " + status
          + " (" + outcome.rejected().get(0).lastReason + "): check the destination's config";
      LOG.warn("destination {}: suspect: {}; delivery goes on", id, suspect);
    }
  }

  String suspect() {
    return suspect;
  }
}
