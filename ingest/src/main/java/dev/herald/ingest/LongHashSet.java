package dev.herald.ingest;

import java.util.function.LongConsumer;

/**
 * A set of non-zero longs in one open-addressed array (linear probing, backward-shift removal):
 * 8.5 bytes per slot with the filter, 14 to 29 per entry, and no object per entry, for millions
 * of fingerprints.
 *
 * <p>A Bloom filter of four bits per slot (three bits per value, all in one 64-bit word) answers
 * most lookups of absent values without touching the array: deduplication looks each new id up
 * in several sets, and the filters, a sixteenth of the arrays' size, mostly stay in the CPU
 * caches where the arrays do not. Removal leaves the bits set (only more lookups reach the
 * array); growing rebuilds it.
 */
final class LongHashSet {

  private static final float MAX_LOAD = 0.6f;

  private long[] slots;
  /** slots.length / 16 words: four bits per slot. */
  private long[] filter;
  private int size;

  LongHashSet() {
    slots = new long[64];
    filter = new long[4];
  }

  int size() {
    return size;
  }

  boolean contains(long value) {
    long bits = filterBits(value);
    long[] words = filter;
    if ((words[filterWord(value, words.length - 1)] & bits) != bits) {
      return false;
    }
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
        filter[filterWord(value, filter.length - 1)] |= filterBits(value);
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

  /** Bytes held by the slots and the filter. */
  long footprintBytes() {
    return (slots.length + filter.length) * 8L;
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
    filter = new long[slots.length / 16];
    size = 0;
    for (long value : old) {
      if (value != 0) {
        add(value);
      }
    }
  }

  private static int filterWord(long value, int mask) {
    long mixed = value * 0xC2B2AE3D27D4EB4FL;
    return (int) (mixed >>> 20) & mask;
  }

  private static long filterBits(long value) {
    long mixed = value * 0xC2B2AE3D27D4EB4FL;
    return 1L << (mixed >>> 58) | 1L << (mixed >>> 52) | 1L << (mixed >>> 46);
  }

  static int index(long value, int mask) {
    long mixed = value * 0x9E3779B97F4A7C15L;
    return (int) (mixed >>> 32) & mask;
  }
}
