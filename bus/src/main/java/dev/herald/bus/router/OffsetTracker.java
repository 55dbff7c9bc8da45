package dev.herald.bus.router;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which read offsets are still unsettled, per partition, so the cursor only ever commits the
 * prefix below which everything is settled, and when the oldest of them was received (the
 * destination's lag in time). Used on the runner's event loop only.
 */
final class OffsetTracker {

  private static final class Partition {
    /** Offset to receivedAt (epoch millis, 0 when unknown). */
    final UnsettledOffsets unsettled = new UnsettledOffsets();
    long nextRead = -1;
    long committed = -1;
  }

  private final Map<Integer, Partition> partitions = new HashMap<>();
  /** The partition of the last read or settle, and its id: every event passes here twice, mostly of one partition. */
  private Partition last;
  private int lastId;

  void read(int partition, long offset, long receivedAtMillis) {
    Partition p = partition(partition);
    if (p == null) {
      p = new Partition();
      partitions.put(partition, p);
      remember(partition, p);
    }
    p.unsettled.put(offset, receivedAtMillis);
    p.nextRead = Math.max(p.nextRead, offset + 1);
  }

  /** Returns when the settled event was received (0 when unknown or not unsettled). */
  long settle(int partition, long offset) {
    Partition p = partition(partition);
    long receivedAt = p == null ? -1 : p.unsettled.remove(offset);
    return receivedAt < 0 ? 0 : receivedAt;
  }

  /** Per partition, the offset below which all is settled, where it moved past the last commit. */
  Map<Integer, Long> pendingCommits() {
    Map<Integer, Long> result = new HashMap<>();
    partitions.forEach((id, p) -> {
      long point = p.unsettled.isEmpty() ? p.nextRead : p.unsettled.first();
      if (point > p.committed) result.put(id, point);
    });
    return result;
  }

  void committed(Map<Integer, Long> points) {
    points.forEach((id, point) -> {
      Partition p = partitions.get(id);
      if (p != null) p.committed = Math.max(p.committed, point);
    });
  }

  /** Drops the state of partitions this consumer no longer owns. */
  void forget(Set<Integer> revoked) {
    partitions.keySet().removeAll(revoked);
    last = null;
  }

  private Partition partition(int id) {
    if (last != null && lastId == id) return last;
    Partition p = partitions.get(id);
    if (p != null) remember(id, p);
    return p;
  }

  private void remember(int id, Partition p) {
    last = p;
    lastId = id;
  }

  /**
   * When the oldest unsettled event was received (epoch millis), or 0 when none is unsettled. Per
   * partition the lowest offset stands for the oldest: the log keeps the order of receipt.
   */
  long oldestReceivedAtMillis() {
    long oldest = 0;
    for (Partition p : partitions.values()) {
      if (p.unsettled.isEmpty()) continue;
      long at = p.unsettled.firstReceivedAt();
      if (at > 0 && (oldest == 0 || at < oldest)) oldest = at;
    }
    return oldest;
  }

  int unsettledCount() {
    int n = 0;
    for (Partition p : partitions.values()) n += p.unsettled.size();
    return n;
  }
}
