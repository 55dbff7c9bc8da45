package dev.herald.bus.router;

import java.util.ArrayDeque;

/**
 * A queue of events and how many of its batches may be out at once: an ordered destination has
 * {@code maxInFlight} lanes of capacity one (all of a key's events hash to one lane, so they go
 * strictly in order); an unordered one has a single lane of capacity {@code maxInFlight}.
 */
final class Lane {

  final ArrayDeque<PendingEvent> queue = new ArrayDeque<>();
  final int capacity;
  long queuedBytes;
  int active;

  Lane(int capacity) {
    this.capacity = capacity;
  }

  boolean hasRoom() {
    return active < capacity;
  }

  /** A full batch is waiting, or the oldest queued event has lingered long enough. */
  boolean readyToCut(long nowNanos, int maxEvents, long maxBytes, long lingerNanos) {
    return queue.size() >= maxEvents || queuedBytes >= maxBytes
        || nowNanos - queue.peekFirst().readAtNanos >= lingerNanos;
  }
}
