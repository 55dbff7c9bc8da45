package dev.herald.bench;

import java.util.BitSet;

/**
 * Which of the benchmark's messageIds ({@code bench-<n>}, n in {@code [first, first + count)})
 * arrived, so a run can show that every event arrived exactly once: one bit per id, a count of
 * repeats and of ids outside the range. Thread-safe (the receivers' handlers may run on any loop).
 */
final class IdLedger {
  private final long first;
  private final int count;
  private final BitSet seen;
  private long distinct;
  private long duplicates;
  private long foreign;
  private volatile long lastNewAtNanos;

  IdLedger(long first, int count) {
    this.first = first;
    this.count = count;
    this.seen = new BitSet(count);
  }

  synchronized void record(long id) {
    long index = id - first;
    if (index < 0 || index >= count) {
      foreign++;
    } else if (seen.get((int) index)) {
      duplicates++;
    } else {
      seen.set((int) index);
      distinct++;
      lastNewAtNanos = System.nanoTime();
    }
  }

  synchronized long distinct() {
    return distinct;
  }

  synchronized long duplicates() {
    return duplicates;
  }

  /** Ids outside the expected range, or not of the benchmark's form. */
  synchronized long foreign() {
    return foreign;
  }

  /** {@link System#nanoTime()} when the latest id not seen before arrived. */
  long lastNewAtNanos() {
    return lastNewAtNanos;
  }

  int expected() {
    return count;
  }

  /** "exactly once" when every id arrived and none twice; otherwise what is wrong. */
  String verdict() {
    return verdict(count);
  }

  /** As {@link #verdict()} when only {@code accepted} of the ids were accepted by Herald. */
  synchronized String verdict(long accepted) {
    if (distinct == accepted && duplicates == 0 && foreign == 0) return "exactly once";
    return "NOT exactly once: " + (accepted - distinct) + " missing, " + duplicates + " duplicates, " + foreign
        + " unexpected ids";
  }

  /**
   * Waits until {@code target} distinct ids arrived; gives up once none new came for
   * {@code stallSeconds} or after {@code capSeconds}.
   */
  boolean await(long target, double stallSeconds, double capSeconds) throws InterruptedException {
    long start = System.nanoTime();
    long lastProgress = start;
    long lastDistinct = distinct();
    while (distinct() < target) {
      long now = System.nanoTime();
      long d = distinct();
      if (d != lastDistinct) {
        lastDistinct = d;
        lastProgress = now;
      }
      if (now - lastProgress > stallSeconds * 1e9 || now - start > capSeconds * 1e9) return false;
      Thread.sleep(20); // polling counters fed by the receivers, bounded by both deadlines
    }
    return true;
  }
}
