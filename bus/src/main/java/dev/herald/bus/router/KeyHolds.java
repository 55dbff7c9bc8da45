package dev.herald.bus.router;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Events held back because the destination throttles their partition key (one user), each key's
 * events in log order. While a key is held, its newly read events join the tail of its hold, so
 * they stay behind the throttled ones; every other key keeps flowing. When a hold ends its events
 * go back to the runner, oldest first. Used on the runner's event loop only.
 */
final class KeyHolds {

  /**
   * The hold budget: past this many events (or bytes) waiting behind throttled keys, a held key's
   * newly read events stay in the log ({@link Spills}); on a log that cannot rewind, reading stops.
   */
  static final int MAX_HELD_EVENTS = 100_000;
  static final long MAX_HELD_BYTES = 64L * 1024 * 1024;

  private static final class Held {
    final ArrayDeque<PendingEvent> events = new ArrayDeque<>();
    long timer = -1;
  }

  private final Vertx vertx;
  private final BiConsumer<String, List<PendingEvent>> onRelease;
  private final Map<String, Held> byKey = new HashMap<>();
  private final int maxEvents;
  private final long maxBytes;
  private int count;
  private long bytes;

  /** @param onRelease receives a key and its events, in order, when the key's hold ends */
  KeyHolds(Vertx vertx, BiConsumer<String, List<PendingEvent>> onRelease) {
    this(vertx, onRelease, MAX_HELD_EVENTS, MAX_HELD_BYTES);
  }

  /** With another budget (tests). */
  KeyHolds(Vertx vertx, BiConsumer<String, List<PendingEvent>> onRelease, int maxEvents, long maxBytes) {
    this.vertx = vertx;
    this.onRelease = onRelease;
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  boolean isHeld(String key) {
    // Asked for every event read; mostly nothing is held, and then the key's hash is not needed.
    return !byKey.isEmpty() && byKey.containsKey(key);
  }

  /** So many events wait in holds that reading more must wait until a hold ends. */
  boolean full() {
    return count >= maxEvents || bytes >= maxBytes;
  }

  /** The key is held and the budget is full: its events may not come into memory now. */
  boolean blocked(String key) {
    return full() && isHeld(key);
  }

  /** Events held now, all keys together. */
  int count() {
    return count;
  }

  /** Appends an event behind a key that is held ({@link #isHeld} must be true). */
  void add(String key, PendingEvent item) {
    item.detach(); // a hold may last long: its events must not pin the read buffers they came in
    byKey.get(key).events.add(item);
    count++;
    bytes += item.bytes;
  }

  /**
   * Holds {@code key} for {@code delayMs} with {@code items} (in order). A key already held keeps
   * its running hold and takes the items at its tail.
   */
  void hold(String key, List<PendingEvent> items, long delayMs) {
    Held held = byKey.get(key);
    if (held == null) {
      Held fresh = new Held();
      byKey.put(key, fresh);
      fresh.timer = vertx.setTimer(Math.max(1, delayMs), t -> release(key, fresh));
      held = fresh;
    }
    for (PendingEvent item : items) add(key, item);
  }

  /**
   * Moves a batch's throttled events into their key's hold, together with every other event of a
   * held key (those of this batch in batch order, then those queued in its lane, read later) so the
   * key's order is kept; returns the events that still retry with the batch.
   *
   * @param batchItems the batch as sent, in order
   * @param throttled its events whose key the destination throttles (each with its {@code holdFor})
   * @param again its events to retry with the batch
   * @param maxHoldMs the longest hold (the policy's {@code maxAge})
   */
  List<PendingEvent> holdBack(List<PendingEvent> batchItems, List<PendingEvent> throttled,
      List<PendingEvent> again, Lanes lanes, long maxHoldMs) {
    Map<String, Long> newKeys = new HashMap<>();
    for (PendingEvent item : throttled) {
      long holdMs = Math.min(item.holdFor.toMillis(), maxHoldMs);
      newKeys.merge(item.event.partitionKey(), holdMs, Math::max);
    }
    Set<PendingEvent> failed = Collections.newSetFromMap(new IdentityHashMap<>());
    failed.addAll(throttled);
    failed.addAll(again);
    Map<String, List<PendingEvent>> toHold = new LinkedHashMap<>();
    List<PendingEvent> stillAgain = new ArrayList<>();
    for (PendingEvent item : batchItems) {
      if (!failed.contains(item)) continue;
      String key = item.event.partitionKey();
      if (newKeys.containsKey(key) || isHeld(key)) {
        toHold.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
      } else {
        stillAgain.add(item);
      }
    }
    lanes.takeKeys(newKeys.keySet(), (key, item) -> toHold.computeIfAbsent(key, k -> new ArrayList<>()).add(item));
    toHold.forEach((key, items) -> hold(key, items, newKeys.getOrDefault(key, 0L)));
    return stillAgain;
  }

  private void release(String key, Held held) {
    if (byKey.get(key) != held) return;
    byKey.remove(key);
    count -= held.events.size();
    for (PendingEvent item : held.events) bytes -= item.bytes;
    onRelease.accept(key, new ArrayList<>(held.events));
  }

  /** Drops every hold (the runner stops: the events stay unsettled and are re-delivered). */
  void clear() {
    for (Held held : byKey.values()) vertx.cancelTimer(held.timer);
    byKey.clear();
    count = 0;
    bytes = 0;
  }
}
