package dev.herald.launcher.admin;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;

/**
 * One destination's trace window: its latest {@code capacity} state changes (read, filtered,
 * delivered, retrying, dead-lettered) in the order they happened, values in parallel arrays (the
 * messageId and strings kept by reference, times as epoch millis). Recording is an append: no hash,
 * no lookup, no object per event, which matters because a runner reads far ahead of its deliveries
 * (at 200k events/s a 100k window is half a second), so finding the read's entry at delivery missed
 * anyway. The rare trace query scans back from the newest entry for the id instead: what it finds
 * is the id's latest word, never a stale one, and an id whose every entry was overwritten is not
 * found, while {@link #evictedAt} says since when it remembers every change. Arrays grow by doubling
 * up to {@code capacity}, so a large window costs memory only once it fills. One short lock: runners
 * append on their event loops, the admin API reads on its own.
 */
final class TraceRing {

  static final int PENDING = 0, FILTERED = 1, DELIVERED = 2, DEAD_LETTERED = 3;
  private static final String[] STATES = {"pending", "filtered", "delivered", "dead_lettered"};
  private static final int MAX_ATTEMPTS = (1 << 29) - 1;

  /** Why the last attempt failed: one per failure, shared by the entries of a batch that failed alike. */
  private record Failure(String reason, int status, Instant nextAttemptAt) {}

  private final int capacity;
  private String[] ids;
  private long[] at;
  private long[] request;
  /** The attempts so far (high bits) and the state (low 2 bits). */
  private int[] attemptsState;
  /** Null but after a retry or dead letter. */
  private Failure[] failures;
  private int size;
  /** Where the next change goes: the oldest once the ring is full. */
  private int next;
  /** When the last change was overwritten (epoch millis); {@link Long#MIN_VALUE} while none was. */
  private long evictedAt = Long.MIN_VALUE;
  private Failure lastFailure;

  TraceRing(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("the trace window must hold at least one change");
    this.capacity = capacity;
    int n = Math.min(capacity, 64);
    ids = new String[n];
    at = new long[n];
    request = new long[n];
    attemptsState = new int[n];
    failures = new Failure[n];
  }

  /** Records the id's new state (read, filtered or delivered), overwriting the oldest change when full. */
  synchronized void append(String id, int state, long nowMillis, long request, int attempts) {
    put(id, state, nowMillis, request, attempts, null);
  }

  /** Records a failed attempt: pending again (a retry) or dead-lettered. */
  synchronized void appendFailure(String id, int state, long nowMillis, long request, int attempts, String reason,
      int status, Instant nextAttemptAt) {
    Failure f = lastFailure;
    if (f == null || f.reason() != reason || f.status() != status || f.nextAttemptAt() != nextAttemptAt) {
      f = lastFailure = new Failure(reason, status, nextAttemptAt);
    }
    put(id, state, nowMillis, request, attempts, f);
  }

  private void put(String id, int state, long now, long request, int attempts, Failure failure) {
    int i = next;
    if (size < capacity) {
      if (i == ids.length) grow();
      size++;
    } else {
      evictedAt = now;
    }
    ids[i] = id;
    at[i] = now;
    this.request[i] = request;
    attemptsState[i] = Math.min(Math.max(attempts, 0), MAX_ATTEMPTS) << 2 | state;
    failures[i] = failure;
    next = i + 1 == capacity ? 0 : i + 1;
  }

  /** The id's latest state as the trace shows it for {@code destination}; null when it remembers none. */
  synchronized JsonObject json(String destination, String id) {
    int s = newest(id);
    if (s < 0) return null;
    JsonObject j = new JsonObject().put("destination", destination).put("state", STATES[attemptsState[s] & 3])
        .put("at", Instant.ofEpochMilli(at[s]).toString());
    int attempts = attemptsState[s] >>> 2;
    Failure f = failures[s];
    if (request[s] > 0) j.put("request", request[s]);
    if (attempts > 0) j.put("attempts", attempts);
    if (f != null && f.status() > 0) j.put("status", f.status());
    if (f != null && f.reason() != null) j.put("reason", f.reason());
    if (f != null && f.nextAttemptAt() != null) j.put("nextAttemptAt", f.nextAttemptAt().toString());
    return j;
  }

  /** Epoch millis of the last overwrite: changes made since are all here; MIN_VALUE while none was. */
  synchronized long evictedAt() {
    return evictedAt;
  }

  /** The index of the id's newest change, or -1. */
  private int newest(String id) {
    for (int i = next - 1; i >= 0; i--) {
      if (same(ids[i], id)) return i;
    }
    if (size == capacity) {
      for (int i = capacity - 1; i >= next; i--) {
        if (same(ids[i], id)) return i;
      }
    }
    return -1;
  }

  static boolean same(String held, String id) {
    return held == id || held.equals(id);
  }

  private void grow() {
    // Only while not full: the ring has not wrapped, so 0..size-1 are in order.
    int n = (int) Math.min((long) ids.length * 2, capacity);
    ids = Arrays.copyOf(ids, n);
    at = Arrays.copyOf(at, n);
    request = Arrays.copyOf(request, n);
    attemptsState = Arrays.copyOf(attemptsState, n);
    failures = Arrays.copyOf(failures, n);
  }
}
