package dev.herald.launcher.admin;

import java.util.Arrays;

/**
 * (The index of {@link HashedTraceBook}, the trace book before its windows became append-only.)
 * The latest {@code capacity} messageIds in first-seen order, each at a slot number its owner uses
 * to index its own arrays of values. A ring of slots plus an open-addressed table of slot numbers
 * keyed by the id's hash: adding, finding and forgetting the oldest are O(1) without an object per
 * event. The arrays grow by doubling up to {@code capacity}, so a large window costs memory only
 * once it fills. Not thread-safe: its owner locks.
 */
final class HashedTraceRing {

  private final int capacity;
  /** The id held in each slot (kept by reference, never copied); slots fill 0, 1, … then wrap. */
  private String[] ids;
  /** Each slot's id's spread hash, so forgetting the oldest id does not read it (a cache miss). */
  private int[] hashes;
  /**
   * The spread hash of an id (high half) and its slot number + 1 (low half), at the place the hash
   * picks (linear probing); 0 when empty; at most half full. The hash beside the slot spares reading
   * the ids of other entries (cache misses) while probing and while closing a gap.
   */
  private long[] table;
  private int size;
  /** The slot the next new id takes: the oldest once the ring is full. */
  private int next;
  /** When the last id was forgotten (epoch millis); {@link Long#MIN_VALUE} while none was. */
  private long evictedAt = Long.MIN_VALUE;

  HashedTraceRing(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("the trace window must hold at least one event");
    this.capacity = capacity;
    int slots = Math.min(capacity, 64);
    this.ids = new String[slots];
    this.hashes = new int[slots];
    this.table = new long[tableSize(slots)];
  }

  /** How many slots the owner's arrays need now; it grows them when {@link #add} reports more. */
  int slots() {
    return ids.length;
  }

  /** The id's slot, or -1 when not remembered. */
  int find(String id) {
    int mask = table.length - 1;
    int hash = spread(id.hashCode());
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      long entry = table[i];
      if (entry == 0) return -1;
      if ((int) (entry >>> 32) != hash) continue;
      String held = ids[(int) entry - 1];
      if (held == id || held.equals(id)) return (int) entry - 1;
    }
  }

  /**
   * Remembers an id not remembered yet (the caller checked with {@link #find}) and returns its slot,
   * forgetting the oldest id when full; the caller overwrites every value of that slot.
   */
  int add(String id, long nowMillis) {
    if (size == ids.length && size < capacity) grow();
    int slot = next;
    if (size == capacity) {
      remove(slot);
      evictedAt = nowMillis;
    } else {
      size++;
    }
    ids[slot] = id;
    hashes[slot] = spread(id.hashCode());
    insert(slot);
    next = slot + 1 == capacity ? 0 : slot + 1;
    return slot;
  }

  /** Epoch millis of the last time an id was forgotten: ids seen before may be gone; MIN_VALUE while none was. */
  long evictedAt() {
    return evictedAt;
  }

  private void insert(int slot) {
    int mask = table.length - 1;
    int hash = hashes[slot];
    int i = hash & mask;
    while (table[i] != 0) i = (i + 1) & mask;
    table[i] = ((long) hash << 32) | (slot + 1);
  }

  /** Takes the slot's id out of the table, shifting later entries of its probe run back (no tombstones). */
  private void remove(int slot) {
    int mask = table.length - 1;
    int i = hashes[slot] & mask;
    while ((int) table[i] != slot + 1) i = (i + 1) & mask;
    for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int home = (int) (table[j] >>> 32) & mask;
      // The entry at j may move to the hole at i when its home is not cyclically within (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        table[i] = table[j];
        i = j;
      }
    }
    table[i] = 0;
  }

  private void grow() {
    // Only while not full: the ring has not wrapped, so slots 0..size-1 are in first-seen order.
    ids = Arrays.copyOf(ids, (int) Math.min((long) ids.length * 2, capacity));
    hashes = Arrays.copyOf(hashes, ids.length);
    table = new long[tableSize(ids.length)];
    for (int slot = 0; slot < size; slot++) insert(slot);
  }

  private static int tableSize(int slots) {
    return Integer.highestOneBit(Math.max(2, slots) * 2 - 1) << 1;
  }

  /** Mixes the high bits of String's hash into the low ones the mask keeps. */
  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
