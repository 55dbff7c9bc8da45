package dev.herald.ingest;

import java.util.Arrays;

/** A growable list of longs in one array: no boxed Long per fingerprint a request claims. */
final class LongList {

  private long[] values;
  private int size;

  LongList(int capacity) {
    values = new long[Math.max(1, capacity)];
  }

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  long get(int index) {
    return values[index];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    size = 0;
  }
}
