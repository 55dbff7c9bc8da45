package dev.herald.bus.router;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A queue of events and how many of its batches may be out at once: an ordered destination has
 * {@code maxInFlight} lanes of capacity one (all of a key's events hash to one lane, so they go
 * strictly in order); an unordered one has a single lane of capacity {@code maxInFlight}. The
 * queue's byte count changes only here, with the queue.
 */
final class Lane {

  private final ArrayDeque<PendingEvent> queue = new ArrayDeque<>();
  private final int capacity;
  private long bytes;
  private int active;

  Lane(int capacity) {
    this.capacity = capacity;
  }

  boolean hasRoom() {
    return active < capacity;
  }

  /** Batches of this lane cut and not yet done. */
  int active() {
    return active;
  }

  int size() {
    return queue.size();
  }

  long bytes() {
    return bytes;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** When the oldest queued event was read (System.nanoTime); the queue must not be empty. */
  long oldestReadAt() {
    return queue.peekFirst().readAtNanos;
  }

  void addLast(PendingEvent item) {
    queue.addLast(item);
    bytes += item.bytes;
  }

  void addFirst(PendingEvent item) {
    queue.addFirst(item);
    bytes += item.bytes;
  }

  /** A full batch is waiting, or the oldest queued event has lingered long enough. */
  boolean readyToCut(long nowNanos, int maxEvents, long maxBytes, long lingerNanos) {
    return queue.size() >= maxEvents || bytes >= maxBytes || nowNanos - oldestReadAt() >= lingerNanos;
  }

  /** Takes a batch from the head (at least one event, even one over {@code maxBytes}) and counts it out. */
  Batch cut(int maxEvents, long maxBytes) {
    List<PendingEvent> items = new ArrayList<>(Math.min(queue.size(), maxEvents));
    long cutBytes = 0;
    while (!queue.isEmpty() && items.size() < maxEvents) {
      PendingEvent next = queue.peekFirst();
      if (!items.isEmpty() && cutBytes + next.bytes > maxBytes) break;
      queue.pollFirst();
      items.add(next);
      cutBytes += next.bytes;
    }
    bytes -= cutBytes;
    active++;
    return new Batch(this, items);
  }

  /** A batch of this lane is settled (or given up): its slot is free again. */
  void done() {
    active--;
  }

  /** Removes the queued events {@code which} selects, keeping the others' order; returns them in order. */
  List<PendingEvent> removeIf(Predicate<PendingEvent> which) {
    List<PendingEvent> removed = new ArrayList<>();
    for (Iterator<PendingEvent> it = queue.iterator(); it.hasNext(); ) {
      PendingEvent item = it.next();
      if (which.test(item)) {
        it.remove();
        bytes -= item.bytes;
        removed.add(item);
      }
    }
    return removed;
  }

  void clear() {
    queue.clear();
    bytes = 0;
  }
}
