package dev.herald.launcher.admin;

import dev.herald.bus.router.DeliveryObserver;
import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trace book as it was before its windows became rings of arrays (a map of records per window):
 * the reference the differential test and the benchmark hold {@link TraceBook} against.
 *
 * <p>Its description then:
 * What the trace of one messageId reads: the latest outcome of the last {@code window} events of
 * each destination, and where the last {@code window} events were read from the log (when accepted,
 * from which source and topic, at which log position). Bounded in memory (about 200 bytes an
 * event and destination) and never on disk; it says when an event is older than what it remembers.
 * Fed by every runner on its own event loop, hence one short lock per window.
 */
final class LinkedTraceBook implements DeliveryObserver {

  /** Where an event was accepted, as the first runner to read it saw it. */
  record Accepted(Instant at, String source, String topic, String type, int partition, long offset) {}

  /** A destination's latest word on an event. */
  record Outcome(String state, Instant at, long request, int attempts, String reason, int status, Instant nextAttemptAt) {}

  private final int window;
  private final Window<Accepted> accepted;
  private final Map<String, Window<Outcome>> destinations = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastFailureAt = new ConcurrentHashMap<>();

  LinkedTraceBook(int window) {
    if (window < 1) throw new IllegalArgumentException("the trace window must hold at least one event");
    this.window = window;
    this.accepted = new Window<>(window);
  }

  @Override
  public void read(String destinationId, Event event, int partition, long offset, boolean passed, long atMillis) {
    String id = event.messageId();
    accepted.putIfAbsent(id, () -> new Accepted(event.receivedAt(), event.sourceId(), event.topic(), event.type(),
        partition, offset));
    outcomes(destinationId).put(id, new Outcome(passed ? "pending" : "filtered", Instant.now(), 0, 0, null, 0, null));
  }

  @Override
  public void delivered(String destinationId, String messageId, long request, int attempts, long atMillis) {
    outcomes(destinationId).put(messageId, new Outcome("delivered", Instant.now(), request, attempts, null, 0, null));
  }

  @Override
  public void retrying(String destinationId, String messageId, long request, int attempts, String reason, int status,
      Instant nextAttemptAt) {
    Instant now = Instant.now();
    lastFailureAt.put(destinationId, now);
    outcomes(destinationId).put(messageId, new Outcome("pending", now, request, attempts, reason, status, nextAttemptAt));
  }

  @Override
  public void deadLettered(String destinationId, String messageId, long request, int attempts, String reason, int status) {
    Instant now = Instant.now();
    lastFailureAt.put(destinationId, now);
    outcomes(destinationId).put(messageId, new Outcome("dead_lettered", now, request, attempts, reason, status, null));
  }

  /** How many recent events per destination (and accepted events) it remembers. */
  public int window() {
    return window;
  }

  /** When the destination last saw an event fail (a retry or a dead letter), or null. */
  public Instant lastFailureAt(String destinationId) {
    return lastFailureAt.get(destinationId);
  }

  private Window<Outcome> outcomes(String destinationId) {
    return destinations.computeIfAbsent(destinationId, d -> new Window<>(window));
  }

  /** The trace of {@code messageId} across {@code destinationIds}; null when nothing remembers it. */
  public JsonObject trace(String messageId, List<String> destinationIds) {
    Accepted a = accepted.get(messageId);
    JsonObject answer = new JsonObject().put("messageId", messageId);
    answer.put("window", new JsonObject().put("events", window).put("acceptedCoveredSince", str(accepted.coveredSince())));
    answer.put("accepted", a == null ? null : new JsonObject().put("at", str(a.at())).put("source", a.source())
        .put("topic", a.topic()).put("type", a.type()).put("partition", a.partition()).put("offset", a.offset()));
    boolean known = a != null;
    var list = new io.vertx.core.json.JsonArray();
    for (String d : destinationIds) {
      Window<Outcome> w = destinations.get(d);
      Outcome o = w == null ? null : w.get(messageId);
      known |= o != null;
      list.add(o != null ? json(d, o) : unseen(d, a, w));
    }
    answer.put("destinations", list);
    return known ? answer : null;
  }

  private static JsonObject json(String destination, Outcome o) {
    JsonObject j = new JsonObject().put("destination", destination).put("state", o.state()).put("at", str(o.at()));
    if (o.request() > 0) j.put("request", o.request());
    if (o.attempts() > 0) j.put("attempts", o.attempts());
    if (o.status() > 0) j.put("status", o.status());
    if (o.reason() != null) j.put("reason", o.reason());
    if (o.nextAttemptAt() != null) j.put("nextAttemptAt", str(o.nextAttemptAt()));
    return j;
  }

  /** A destination that remembers nothing of the event: not read yet, or aged out of its window. */
  private static JsonObject unseen(String destination, Accepted a, Window<Outcome> w) {
    Instant since = w == null ? null : w.coveredSince();
    boolean coveredStill = a != null && (since == null || a.at().isAfter(since));
    JsonObject j = new JsonObject().put("destination", destination);
    if (coveredStill) {
      return j.put("state", "pending").put("attempts", 0).put("note", "not read by this destination yet");
    }
    return j.put("state", "unknown").put("note", "older than this destination's trace window"
        + (since == null ? "" : " (it remembers events since " + since + ")"));
  }

  private static String str(Instant at) {
    return at == null ? null : at.toString();
  }

  /** The latest {@code capacity} keys in first-seen order, remembering when the last one left. */
  private static final class Window<V> {
    private final int capacity;
    private final LinkedHashMap<String, V> entries = new LinkedHashMap<>();
    private Instant evictedUpTo;

    Window(int capacity) {
      this.capacity = capacity;
    }

    synchronized V get(String key) {
      return entries.get(key);
    }

    synchronized void put(String key, V value) {
      entries.put(key, value);
      trim();
    }

    synchronized void putIfAbsent(String key, java.util.function.Supplier<V> value) {
      if (entries.containsKey(key)) return;
      entries.put(key, value.get());
      trim();
    }

    private void trim() {
      if (entries.size() <= capacity) return;
      var eldest = entries.entrySet().iterator();
      eldest.next();
      eldest.remove();
      evictedUpTo = Instant.now();
    }

    /** Null while nothing was forgotten; else events seen before this instant may be forgotten. */
    synchronized Instant coveredSince() {
      return evictedUpTo;
    }
  }
}
