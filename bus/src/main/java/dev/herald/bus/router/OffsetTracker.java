package dev.herald.bus.router;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which read offsets are still unsettled, per partition, so the cursor only ever commits the
 * prefix below which everything is settled. Used on the runner's event loop only.
 */
final class OffsetTracker {

  private static final class Partition {
    final TreeSet<Long> unsettled = new TreeSet<>();
    long nextRead = -1;
    long committed = -1;
  }

  private final Map<Integer, Partition> partitions = new HashMap<>();

  void read(int partition, long offset) {
    Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
    p.unsettled.add(offset);
    p.nextRead = Math.max(p.nextRead, offset + 1);
  }

  void settle(int partition, long offset) {
    Partition p = partitions.get(partition);
    if (p != null) p.unsettled.remove(offset);
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

  int unsettledCount() {
    int n = 0;
    for (Partition p : partitions.values()) n += p.unsettled.size();
    return n;
  }
}
