package dev.herald.bus.router;

import dev.herald.destination.api.Limits;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A runner's read-ahead: the events read and waiting to be cut into batches, in lanes by partition
 * key (see {@link Lane}). It owns how much is queued (events and bytes, the sum of its lanes), the
 * batch size and the linger: a partial batch waits {@code lingerMs} for more events, unless the
 * read-ahead is full. Used on the runner's event loop only.
 */
final class Lanes {

  private final Vertx vertx;
  private final Lane[] lanes;
  private final int maxBatchEvents;
  private final long maxBatchBytes;
  private final int maxQueued;
  private final long maxQueuedBytes;
  private final long lingerNanos;
  private final Runnable onLinger;
  /** Whether another batch may go out now (the destination's concurrency limit). */
  private final BooleanSupplier mayCut;
  private long lingerTimer = -1;
  /** The lane {@link #cutDue} looks at first: turns go round, so a limit below the lane count starves none. */
  private int firstLane;

  /**
   * @param onLinger called (on the event loop) when a partial batch has lingered long enough
   */
  Lanes(Vertx vertx, DeliveryPolicy policy, Limits limits, Runnable onLinger) {
    this(vertx, policy, limits, onLinger, () -> true);
  }

  /** @param mayCut whether another batch may go out now, all lanes together (the concurrency limit) */
  Lanes(Vertx vertx, DeliveryPolicy policy, Limits limits, Runnable onLinger, BooleanSupplier mayCut) {
    this.vertx = vertx;
    this.onLinger = onLinger;
    this.mayCut = mayCut;
    maxBatchEvents = Math.max(1, Math.min(policy.batchEvents(), limits.maxEvents()));
    maxBatchBytes = limits.maxBytes();
    int laneCount = limits.ordered() ? policy.maxInFlight() : 1;
    int laneCapacity = limits.ordered() ? 1 : policy.maxInFlight();
    lanes = new Lane[laneCount];
    for (int i = 0; i < laneCount; i++) lanes[i] = new Lane(laneCapacity);
    // Read ahead enough to keep every lane busy with full batches, and no more.
    maxQueued = maxBatchEvents * policy.maxInFlight() * 2;
    maxQueuedBytes = Math.min(maxBatchBytes * policy.maxInFlight() * 2, 256L * 1024 * 1024);
    lingerNanos = TimeUnit.MILLISECONDS.toNanos(policy.lingerMs());
  }

  /** Events queued, all lanes together. */
  int queued() {
    int n = 0;
    for (Lane lane : lanes) n += lane.size();
    return n;
  }

  long queuedBytes() {
    long n = 0;
    for (Lane lane : lanes) n += lane.bytes();
    return n;
  }

  /** Batches cut and not yet done, all lanes together. */
  int active() {
    int n = 0;
    for (Lane lane : lanes) n += lane.active();
    return n;
  }

  /** How many more events may be read now (zero or less: none). */
  int room() {
    return maxQueued - queued();
  }

  long roomBytes() {
    return maxQueuedBytes - queuedBytes();
  }

  /** Queues a freshly read event behind its key's earlier ones. */
  void add(PendingEvent item) {
    laneFor(item.event.partitionKey()).addLast(item);
  }

  /** Puts a key's events (oldest first) back at the head of its lane: they were read before all queued. */
  void putBack(String key, List<PendingEvent> items) {
    Lane lane = laneFor(key);
    for (int i = items.size() - 1; i >= 0; i--) lane.addFirst(items.get(i));
  }

  /**
   * Cuts every batch that is due (all a lane holds when the read-ahead is full) into a lane with a
   * free slot, handing each to {@code send}; when {@code send} returns false no more batches are cut
   * from that lane this time. Then arms the linger timer for the earliest partial batch.
   */
  void cutDue(long nowNanos, Predicate<Batch> send) {
    boolean full = queued() >= maxQueued || queuedBytes() >= maxQueuedBytes;
    int first = firstLane;
    firstLane = (firstLane + 1) % lanes.length;
    for (int i = 0; i < lanes.length && belowLimit(); i++) {
      Lane lane = lanes[(first + i) % lanes.length];
      while (belowLimit() && lane.hasRoom() && !lane.isEmpty()
          && (full || lane.readyToCut(nowNanos, maxBatchEvents, maxBatchBytes, lingerNanos))) {
        if (!send.test(lane.cut(maxBatchEvents, maxBatchBytes))) break;
      }
    }
    if (belowLimit()) scheduleLinger(nowNanos); // else the next batch's end cuts again
  }

  private boolean belowLimit() {
    return mayCut.getAsBoolean();
  }

  private void scheduleLinger(long nowNanos) {
    if (lingerTimer != -1) return;
    long earliest = Long.MAX_VALUE;
    for (Lane lane : lanes) {
      if (lane.hasRoom() && !lane.isEmpty()) earliest = Math.min(earliest, lane.oldestReadAt() + lingerNanos);
    }
    if (earliest == Long.MAX_VALUE) return;
    long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(earliest - nowNanos) + 1);
    lingerTimer = vertx.setTimer(delayMs, t -> {
      lingerTimer = -1;
      onLinger.run();
    });
  }

  /**
   * Takes the queued events of {@code keys} out of their lanes, in lane order, into {@code sink}
   * (e.g. into a key hold, behind that key's events already there).
   */
  void takeKeys(Set<String> keys, BiConsumer<String, PendingEvent> sink) {
    Set<Lane> affected = Collections.newSetFromMap(new IdentityHashMap<>());
    for (String key : keys) affected.add(laneFor(key));
    for (Lane lane : affected) {
      for (PendingEvent item : lane.removeIf(i -> keys.contains(i.event.partitionKey()))) {
        sink.accept(item.event.partitionKey(), item);
      }
    }
  }

  /** Drops the queued events of partitions this consumer no longer owns; returns how many. */
  int dropPartitions(Collection<Integer> partitions) {
    int dropped = 0;
    for (Lane lane : lanes) dropped += lane.removeIf(i -> partitions.contains(i.entry.partition())).size();
    return dropped;
  }

  /** Empties every lane and cancels the linger (the runner stops; the events stay unsettled). */
  void clear() {
    if (lingerTimer != -1) vertx.cancelTimer(lingerTimer);
    lingerTimer = -1;
    for (Lane lane : lanes) lane.clear();
  }

  private Lane laneFor(String partitionKey) {
    if (lanes.length == 1) return lanes[0];
    int h = partitionKey.hashCode();
    h ^= (h >>> 16);
    h *= 0x85ebca6b;
    h ^= (h >>> 13);
    return lanes[Math.floorMod(h, lanes.length)];
  }
}
