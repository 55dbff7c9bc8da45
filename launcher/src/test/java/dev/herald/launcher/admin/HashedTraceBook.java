package dev.herald.launcher.admin;

import dev.herald.bus.router.DeliveryObserver;
import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trace book as it was before its windows became append-only rings of state changes (one
 * {@link HashedTraceRing} of messageIds per window, found by hash at every read and outcome): the
 * reference {@link TraceBookBench} holds {@link TraceBook} against.
 *
 * <p>Its description then:
 * What the trace of one messageId reads: the latest outcome of the last {@code window} events of
 * each destination, and where the last {@code window} events were read from the log (when accepted,
 * from which source and topic, at which log position). Bounded in memory (about 200 bytes an
 * event and destination) and never on disk; it says when an event is older than what it remembers.
 * Fed by every runner on its own event loop for every event, hence cheap: one short lock per
 * window, values in arrays by {@link HashedTraceRing} slot (strings and instants kept by reference, times
 * as epoch millis), no object made per event.
 */
final class HashedTraceBook implements DeliveryObserver {

  private static final String[] STATES = {"pending", "filtered", "delivered", "dead_lettered"};
  private static final byte PENDING = 0, FILTERED = 1, DELIVERED = 2, DEAD_LETTERED = 3;

  private final int window;
  private final Accepted accepted;
  private final Map<String, Outcomes> destinations = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastFailureAt = new ConcurrentHashMap<>();

  HashedTraceBook(int window) {
    if (window < 1) throw new IllegalArgumentException("the trace window must hold at least one event");
    this.window = window;
    this.accepted = new Accepted(window);
  }

  @Override
  public void read(String destinationId, Event event, int partition, long offset, boolean passed, long atMillis) {
    long now = System.currentTimeMillis();
    accepted.putIfAbsent(event, partition, offset, now);
    outcomes(destinationId).put(event.messageId(), passed ? PENDING : FILTERED, now, 0, 0, null, 0, null);
  }

  @Override
  public void delivered(String destinationId, String messageId, long request, int attempts, long atMillis) {
    outcomes(destinationId).put(messageId, DELIVERED, System.currentTimeMillis(), request, attempts, null, 0, null);
  }

  @Override
  public void retrying(String destinationId, String messageId, long request, int attempts, String reason, int status,
      Instant nextAttemptAt) {
    Instant now = Instant.now();
    lastFailureAt.put(destinationId, now);
    outcomes(destinationId).put(messageId, PENDING, now.toEpochMilli(), request, attempts, reason, status, nextAttemptAt);
  }

  @Override
  public void deadLettered(String destinationId, String messageId, long request, int attempts, String reason, int status) {
    Instant now = Instant.now();
    lastFailureAt.put(destinationId, now);
    outcomes(destinationId).put(messageId, DEAD_LETTERED, now.toEpochMilli(), request, attempts, reason, status, null);
  }

  /** How many recent events per destination (and accepted events) it remembers. */
  public int window() {
    return window;
  }

  /** When the destination last saw an event fail (a retry or a dead letter), or null. */
  public Instant lastFailureAt(String destinationId) {
    return lastFailureAt.get(destinationId);
  }

  private Outcomes outcomes(String destinationId) {
    Outcomes o = destinations.get(destinationId);
    return o != null ? o : destinations.computeIfAbsent(destinationId, d -> new Outcomes(window));
  }

  /** The trace of {@code messageId} across {@code destinationIds}; null when nothing remembers it. */
  public JsonObject trace(String messageId, List<String> destinationIds) {
    JsonObject answer = new JsonObject().put("messageId", messageId);
    JsonObject a = accepted.json(messageId);
    Instant acceptedAt = a == null ? null : accepted.at(messageId);
    answer.put("window", new JsonObject().put("events", window).put("acceptedCoveredSince", millis(accepted.evictedAt())));
    answer.put("accepted", a);
    boolean known = a != null;
    JsonArray list = new JsonArray();
    for (String d : destinationIds) {
      Outcomes w = destinations.get(d);
      JsonObject o = w == null ? null : w.json(d, messageId);
      known |= o != null;
      list.add(o != null ? o : unseen(d, acceptedAt, w));
    }
    answer.put("destinations", list);
    return known ? answer : null;
  }

  /** A destination that remembers nothing of the event: not read yet, or aged out of its window. */
  private static JsonObject unseen(String destination, Instant acceptedAt, Outcomes w) {
    long evicted = w == null ? Long.MIN_VALUE : w.evictedAt();
    String since = millis(evicted);
    // Within the millisecond of the last eviction it cannot tell: it says unknown rather than a wrong pending.
    boolean coveredStill = acceptedAt != null && (since == null || acceptedAt.toEpochMilli() > evicted);
    JsonObject j = new JsonObject().put("destination", destination);
    if (coveredStill) {
      return j.put("state", "pending").put("attempts", 0).put("note", "not read by this destination yet");
    }
    return j.put("state", "unknown").put("note", "older than this destination's trace window"
        + (since == null ? "" : " (it remembers events since " + since + ")"));
  }

  private static String millis(long at) {
    return at == Long.MIN_VALUE ? null : Instant.ofEpochMilli(at).toString();
  }

  private static String str(Instant at) {
    return at == null ? null : at.toString();
  }

  /** Where each of the latest events was accepted, as the first runner to read it saw it. */
  private static final class Accepted {
    private final HashedTraceRing ring;
    private Instant[] at;
    private String[] source, topic, type;
    private int[] partition;
    private long[] offset;

    Accepted(int window) {
      ring = new HashedTraceRing(window);
      resize(ring.slots());
    }

    synchronized void putIfAbsent(Event event, int partition, long offset, long now) {
      String id = event.messageId();
      if (ring.find(id) >= 0) return;
      int slot = ring.add(id, now);
      if (ring.slots() > at.length) resize(ring.slots());
      at[slot] = event.receivedAt();
      source[slot] = event.sourceId();
      topic[slot] = event.topic();
      type[slot] = event.type();
      this.partition[slot] = partition;
      this.offset[slot] = offset;
    }

    synchronized JsonObject json(String id) {
      int s = ring.find(id);
      if (s < 0) return null;
      return new JsonObject().put("at", str(at[s])).put("source", source[s]).put("topic", topic[s])
          .put("type", type[s]).put("partition", partition[s]).put("offset", offset[s]);
    }

    /** When the event was accepted; null when forgotten (also since {@link #json}). */
    synchronized Instant at(String id) {
      int s = ring.find(id);
      return s < 0 ? null : at[s];
    }

    /** Epoch millis, MIN_VALUE while nothing was forgotten; else events seen before may be forgotten. */
    synchronized long evictedAt() {
      return ring.evictedAt();
    }

    private void resize(int n) {
      at = at == null ? new Instant[n] : Arrays.copyOf(at, n);
      source = source == null ? new String[n] : Arrays.copyOf(source, n);
      topic = topic == null ? new String[n] : Arrays.copyOf(topic, n);
      type = type == null ? new String[n] : Arrays.copyOf(type, n);
      partition = partition == null ? new int[n] : Arrays.copyOf(partition, n);
      offset = offset == null ? new long[n] : Arrays.copyOf(offset, n);
    }
  }

  /** A destination's latest word on each of its latest events. */
  private static final class Outcomes {
    private final HashedTraceRing ring;
    private byte[] state;
    private long[] at, request;
    private int[] attempts, status;
    private String[] reason;
    private Instant[] nextAttemptAt;

    Outcomes(int window) {
      ring = new HashedTraceRing(window);
      resize(ring.slots());
    }

    synchronized void put(String id, byte state, long at, long request, int attempts, String reason, int status,
        Instant nextAttemptAt) {
      int slot = ring.find(id);
      if (slot < 0) {
        slot = ring.add(id, at);
        if (ring.slots() > this.at.length) resize(ring.slots());
      }
      this.state[slot] = state;
      this.at[slot] = at;
      this.request[slot] = request;
      this.attempts[slot] = attempts;
      this.reason[slot] = reason;
      this.status[slot] = status;
      this.nextAttemptAt[slot] = nextAttemptAt;
    }

    synchronized JsonObject json(String destination, String id) {
      int s = ring.find(id);
      if (s < 0) return null;
      JsonObject j = new JsonObject().put("destination", destination).put("state", STATES[state[s]])
          .put("at", millis(at[s]));
      if (request[s] > 0) j.put("request", request[s]);
      if (attempts[s] > 0) j.put("attempts", attempts[s]);
      if (status[s] > 0) j.put("status", status[s]);
      if (reason[s] != null) j.put("reason", reason[s]);
      if (nextAttemptAt[s] != null) j.put("nextAttemptAt", str(nextAttemptAt[s]));
      return j;
    }

    synchronized long evictedAt() {
      return ring.evictedAt();
    }

    private void resize(int n) {
      state = state == null ? new byte[n] : Arrays.copyOf(state, n);
      at = at == null ? new long[n] : Arrays.copyOf(at, n);
      request = request == null ? new long[n] : Arrays.copyOf(request, n);
      attempts = attempts == null ? new int[n] : Arrays.copyOf(attempts, n);
      status = status == null ? new int[n] : Arrays.copyOf(status, n);
      reason = reason == null ? new String[n] : Arrays.copyOf(reason, n);
      nextAttemptAt = nextAttemptAt == null ? new Instant[n] : Arrays.copyOf(nextAttemptAt, n);
    }
  }
}
