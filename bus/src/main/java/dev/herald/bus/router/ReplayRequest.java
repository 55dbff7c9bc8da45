package dev.herald.bus.router;

import dev.herald.bus.deadletter.DeadLetterQuery;

/**
 * What an operator asks a replay to do.
 *
 * @param filter which dead letters (its limit and offset are ignored)
 * @param ratePerSecond at most this many events sent per second (1..{@value #MAX_RATE})
 * @param dryRun only count what would be sent
 * @param force send entries a replay delivered before, too
 * @param max at most this many entries (0: every one selected)
 */
public record ReplayRequest(DeadLetterQuery filter, int ratePerSecond, boolean dryRun, boolean force, int max) {

  public static final int DEFAULT_RATE = 100;
  public static final int MAX_RATE = 10_000;

  public ReplayRequest {
    if (filter == null) filter = DeadLetterQuery.firstPage();
    if (ratePerSecond < 1 || ratePerSecond > MAX_RATE) {
      throw new IllegalArgumentException("ratePerSecond must be from 1 to " + MAX_RATE + ", not " + ratePerSecond);
    }
    if (max < 0) throw new IllegalArgumentException("limit must be >= 0, not " + max);
  }
}
