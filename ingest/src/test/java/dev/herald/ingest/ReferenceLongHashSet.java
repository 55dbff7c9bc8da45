package dev.herald.ingest;

import java.util.function.LongConsumer;

/**
 * {@link LongHashSet} as it was before its filter: kept for {@link DedupBenchmark} only.
 *
 * <p>Original description:
 * A set of non-zero longs in one open-addressed array (linear probing, backward-shift removal):
 * 8 to 16 bytes per entry and no object per entry, for millions of fingerprints.
 */
final class ReferenceLongHashSet {

  private static final float MAX_LOAD = 0.6f;

  private long[] slots;
  private int size;

  ReferenceLongHashSet() {
    slots = new long[64];
  }

  int size() {
    return size;
  }

  boolean contains(long value) {
    long[] table = slots;
    int mask = table.length - 1;
    for (int i = index(value, mask); ; i = (i + 1) & mask) {
      long slot = table[i];
      if (slot == value) {
        return true;
      }
      if (slot == 0) {
        return false;
      }
    }
  }

  /** Adds a non-zero value; false when it was already there. */
  boolean add(long value) {
    if (size + 1 > slots.length * MAX_LOAD) {
      grow();
    }
    int mask = slots.length - 1;
    for (int i = index(value, mask); ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == value) {
        return false;
      }
      if (slot == 0) {
        slots[i] = value;
        size++;
        return true;
      }
    }
  }

  boolean remove(long value) {
    long[] table = slots;
    int mask = table.length - 1;
    int i = index(value, mask);
    while (table[i] != value) {
      if (table[i] == 0) {
        return false;
      }
      i = (i + 1) & mask;
    }
    // Shift later members of the probe run back so no lookup stops early at the hole.
    int hole = i;
    for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int home = index(table[j], mask);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        table[hole] = table[j];
        hole = j;
      }
    }
    table[hole] = 0;
    size--;
    return true;
  }

  void forEach(LongConsumer action) {
    for (long slot : slots) {
      if (slot != 0) {
        action.accept(slot);
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    size = 0;
    for (long value : old) {
      if (value != 0) {
        add(value);
      }
    }
  }

  private static int index(long value, int mask) {
    long mixed = value * 0x9E3779B97F4A7C15L;
    return (int) (mixed >>> 32) & mask;
  }
}
