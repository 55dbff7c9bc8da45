package dev.herald.bus.router;

import java.util.Arrays;

/**
 * One partition's unsettled offsets, ascending, each with when its event was received: parallel
 * {@code long} arrays instead of a sorted map of boxed longs, since every event read passes
 * through here. Offsets mostly arrive in order (an append); a settled offset becomes a hole,
 * dropped once it reaches the head, and holes are squeezed out once they outnumber the live
 * offsets, so the memory follows the unsettled count, not the span since the oldest of them.
 */
final class UnsettledOffsets {

  private static final long HOLE = Long.MIN_VALUE;

  private long[] offsets = new long[16];
  private long[] receivedAt = new long[16];
  private int head;
  private int tail;
  private int count;
  private int holes;
  /** The slot after the last one removed: where the next removal most likely is (only a guess). */
  private int next;

  int size() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The lowest unsettled offset; not empty. */
  long first() {
    return offsets[head];
  }

  /** When the event at {@link #first()} was received; not empty. */
  long firstReceivedAt() {
    return receivedAt[head];
  }

  /** Adds {@code offset} (or updates its time when it is already there). */
  void put(long offset, long receivedAtMillis) {
    if (count == 0 || offset > offsets[tail - 1]) {
      if (count == 0) head = tail = holes = 0;
      ensureRoom();
      offsets[tail] = offset;
      receivedAt[tail++] = receivedAtMillis;
      count++;
      return;
    }
    int at = Arrays.binarySearch(offsets, head, tail, offset);
    if (at >= 0) {
      if (receivedAt[at] == HOLE) {
        count++;
        holes--;
      }
      receivedAt[at] = receivedAtMillis;
      return;
    }
    // Below the newest (a re-read after a rewind): insert in order.
    ensureRoom(); // may move the live range: search again
    int insert = -Arrays.binarySearch(offsets, head, tail, offset) - 1;
    System.arraycopy(offsets, insert, offsets, insert + 1, tail - insert);
    System.arraycopy(receivedAt, insert, receivedAt, insert + 1, tail - insert);
    offsets[insert] = offset;
    receivedAt[insert] = receivedAtMillis;
    tail++;
    count++;
  }

  /** Removes {@code offset}; returns when its event was received, or -1 when it was not unsettled. */
  long remove(long offset) {
    if (count == 0) return -1;
    int at = find(offset);
    if (at < 0 || receivedAt[at] == HOLE) return -1;
    next = at + 1;
    long received = receivedAt[at];
    receivedAt[at] = HOLE;
    count--;
    holes++;
    while (head < tail && receivedAt[head] == HOLE) {
      head++;
      holes--;
    }
    if (count == 0) {
      head = tail = holes = 0;
    } else if (holes > 64 && holes > count) {
      squeeze();
    }
    return received;
  }

  /**
   * Where {@code offset} is (negative when absent). Events mostly settle in the order they were read,
   * a batch at a time: the head, or a few slots past the last one removed (a batch of one lane of
   * several holds every few offsets), found without a search; else a binary search on that side.
   */
  private int find(long offset) {
    if (offsets[head] == offset) return head;
    int from = next;
    if (from <= head || from > tail) return Arrays.binarySearch(offsets, head, tail, offset);
    long before = offsets[from - 1];
    if (before == offset) return from - 1;
    if (before > offset) return Arrays.binarySearch(offsets, head, from - 1, offset);
    int near = Math.min(tail, from + NEAR);
    for (int i = from; i < near; i++) {
      if (offsets[i] >= offset) return offsets[i] == offset ? i : -1;
    }
    return Arrays.binarySearch(offsets, near, tail, offset);
  }

  /** Slots {@link #find} looks at one by one past the last removed before searching. */
  private static final int NEAR = 16;

  /** Slots allocated (tests). */
  int capacityForTest() {
    return offsets.length;
  }

  /** Room for one more at the tail: moves the live range to the front, or grows. */
  private void ensureRoom() {
    if (tail < offsets.length) return;
    if (holes > 0 || head > 0) {
      squeeze();
      if (tail < offsets.length / 2 + 1) return;
    }
    offsets = Arrays.copyOf(offsets, offsets.length * 2);
    receivedAt = Arrays.copyOf(receivedAt, receivedAt.length * 2);
  }

  /** Drops every hole and moves the live offsets to the start, keeping their order. */
  private void squeeze() {
    int to = 0;
    for (int from = head; from < tail; from++) {
      if (receivedAt[from] == HOLE) continue;
      offsets[to] = offsets[from];
      receivedAt[to++] = receivedAt[from];
    }
    head = 0;
    tail = to;
    holes = 0;
  }
}
