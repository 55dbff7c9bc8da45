package dev.herald.bus.router;

import java.util.Arrays;
import java.util.Set;

/**
 * An offset per partition in an array indexed by partition number (partitions are small dense
 * numbers): {@link Spills#verdict} runs for every entry read, and boxed map entries cost it several
 * allocations an event.
 */
final class PartitionOffsets {
  private static final long ABSENT = Long.MIN_VALUE;
  private long[] byPartition = new long[0];

  long get(int partition, long absent) {
    long v = partition < byPartition.length ? byPartition[partition] : ABSENT;
    return v == ABSENT ? absent : v;
  }

  void put(int partition, long offset) {
    if (partition >= byPartition.length) {
      int old = byPartition.length;
      byPartition = Arrays.copyOf(byPartition, Math.max(partition + 1, old * 2));
      Arrays.fill(byPartition, old, byPartition.length, ABSENT);
    }
    byPartition[partition] = offset;
  }

  /** The partition's offset, forgotten, or {@code absent}. */
  long remove(int partition, long absent) {
    long v = get(partition, absent);
    if (partition < byPartition.length) byPartition[partition] = ABSENT;
    return v;
  }

  void removeAll(Set<Integer> partitions) {
    for (int partition : partitions) remove(partition, ABSENT);
  }
}
