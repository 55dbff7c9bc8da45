package dev.herald.launcher.admin;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Arrays;

/**
 * Where the latest {@code capacity} log positions read were accepted (when, from which source and
 * topic, at which partition and offset), in the order first read. Every runner reads every event,
 * so it records a position only when it is past the furthest one recorded in its partition: one
 * compare per read instead of finding the messageId, the first runner to reach a position records it
 * and the others, and a runner reading older positions again (behind, rewound, or new), add nothing.
 * The trace query scans for the oldest entry of the id (its first read while remembered). Values in
 * parallel arrays by reference; they grow by doubling up to {@code capacity}. One short lock, taken
 * only by the runner recording a new position.
 */
final class AcceptedRing {

  /** Partitions past this (none Herald makes) are recorded at every read, never wrongly skipped. */
  private static final int MAX_TRACKED_PARTITIONS = 1 << 16;

  /** An event's accepted record as the trace shows it, and when it was accepted. */
  record Found(JsonObject json, Instant at) {}

  private final int capacity;
  private String[] ids;
  private Instant[] at;
  private String[] source, topic, type;
  private int[] partition;
  private long[] offset;
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  /** The furthest offset recorded per partition; -1 while none. Replaced, never shrunk, when it grows. */
  private volatile long[] furthest = new long[0];
  private int size;
  private int next;
  private long evictedAt = Long.MIN_VALUE;

  AcceptedRing(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("the trace window must hold at least one event");
    this.capacity = capacity;
    resize(Math.min(capacity, 64));
  }

  /** A runner read {@code event} at {@code partition}/{@code offset}. */
  void read(Event event, int partition, long offset, long nowMillis) {
    // Recorded already (by the runner ahead): no lock. Furthest offsets only grow, so a stale one skips nothing new.
    long[] f = furthest;
    if (partition >= 0 && partition < f.length && offset <= (long) LONGS.getOpaque(f, partition)) return;
    record(event, partition, offset, nowMillis);
  }

  private synchronized void record(Event event, int partition, long offset, long nowMillis) {
    if (partition >= 0 && partition < MAX_TRACKED_PARTITIONS) {
      if (partition >= furthest.length) {
        int old = furthest.length;
        long[] grown = Arrays.copyOf(furthest, Math.max(partition + 1, old * 2));
        Arrays.fill(grown, old, grown.length, -1);
        furthest = grown;
      }
      if (offset <= furthest[partition]) return;
      LONGS.setOpaque(furthest, partition, offset);
    }
    int i = next;
    if (size < capacity) {
      if (i == ids.length) resize((int) Math.min((long) ids.length * 2, capacity));
      size++;
    } else {
      evictedAt = nowMillis;
    }
    ids[i] = event.messageId();
    at[i] = event.receivedAt();
    source[i] = event.sourceId();
    topic[i] = event.topic();
    type[i] = event.type();
    this.partition[i] = partition;
    this.offset[i] = offset;
    next = i + 1 == capacity ? 0 : i + 1;
  }

  /** The id's accepted record, or null when not remembered. */
  synchronized Found find(String id) {
    int s = oldest(id);
    if (s < 0) return null;
    JsonObject j = new JsonObject().put("at", at[s] == null ? null : at[s].toString()).put("source", source[s])
        .put("topic", topic[s]).put("type", type[s]).put("partition", partition[s]).put("offset", offset[s]);
    return new Found(j, at[s]);
  }

  /** Epoch millis of the last overwrite, MIN_VALUE while none was; else events read before may be forgotten. */
  synchronized long evictedAt() {
    return evictedAt;
  }

  private int oldest(String id) {
    int from = size == capacity ? next : 0;
    for (int i = from; i < size; i++) {
      if (TraceRing.same(ids[i], id)) return i;
    }
    for (int i = 0; i < from; i++) {
      if (TraceRing.same(ids[i], id)) return i;
    }
    return -1;
  }

  private void resize(int n) {
    ids = ids == null ? new String[n] : Arrays.copyOf(ids, n);
    at = at == null ? new Instant[n] : Arrays.copyOf(at, n);
    source = source == null ? new String[n] : Arrays.copyOf(source, n);
    topic = topic == null ? new String[n] : Arrays.copyOf(topic, n);
    type = type == null ? new String[n] : Arrays.copyOf(type, n);
    partition = partition == null ? new int[n] : Arrays.copyOf(partition, n);
    offset = offset == null ? new long[n] : Arrays.copyOf(offset, n);
  }
}
