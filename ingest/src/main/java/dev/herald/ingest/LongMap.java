package dev.herald.ingest;

/**
 * A map from non-zero longs to objects in two open-addressed arrays (linear probing,
 * backward-shift removal, as {@link LongHashSet}): no boxed key, no node per entry.
 */
final class LongMap<V> {

  private static final float MAX_LOAD = 0.5f;

  private long[] keys;
  private Object[] values;
  private int size;

  LongMap() {
    keys = new long[64];
    values = new Object[64];
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(long key) {
    long[] table = keys;
    int mask = table.length - 1;
    for (int i = LongHashSet.index(key, mask); ; i = (i + 1) & mask) {
      long slot = table[i];
      if (slot == key) {
        return (V) values[i];
      }
      if (slot == 0) {
        return null;
      }
    }
  }

  /** Maps a non-zero key to a non-null value, replacing any earlier one. */
  void put(long key, V value) {
    if (size + 1 > keys.length * MAX_LOAD) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = LongHashSet.index(key, mask); ; i = (i + 1) & mask) {
      long slot = keys[i];
      if (slot == key) {
        values[i] = value;
        return;
      }
      if (slot == 0) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  /** Removes the key only while it maps to {@code value} (the same object); true when it did. */
  boolean remove(long key, V value) {
    long[] table = keys;
    int mask = table.length - 1;
    int i = LongHashSet.index(key, mask);
    while (table[i] != key) {
      if (table[i] == 0) {
        return false;
      }
      i = (i + 1) & mask;
    }
    if (values[i] != value) {
      return false;
    }
    // Shift later members of the probe run back so no lookup stops early at the hole.
    int hole = i;
    for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int home = LongHashSet.index(table[j], mask);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        table[hole] = table[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    table[hole] = 0;
    values[hole] = null;
    size--;
    return true;
  }

  @SuppressWarnings("unchecked")
  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        put(oldKeys[i], (V) oldValues[i]);
      }
    }
  }
}
