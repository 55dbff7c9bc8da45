package dev.herald.launcher.admin;

import dev.herald.bus.router.DeliveryObserver;
import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the trace of one messageId reads: the latest word of each destination on its recent events,
 * and where the last {@code window} events were read from the log (when accepted, from which source
 * and topic, at which log position). Each destination remembers its last {@code 2 × window} state
 * changes ({@link TraceRing}): a read and an outcome per event, so at least its last {@code window}
 * events while they go without retries, whatever the lag between reading and delivering. Bounded in
 * memory (about 60 bytes an event and destination, plus about 140 an event for where it was accepted
 * and its messageId) and never on disk; it says when an event is older than what it remembers.
 *
 * <p>Fed by every runner on its own event loop for every event, hence nearly free: each runner gets
 * its destination's view once ({@link #forDestination}), and each call appends to arrays under one
 * short lock, with no hashing, lookup or object per event; the admin query pays instead, scanning.
 */
public final class TraceBook implements DeliveryObserver {

  private final int window;
  private final AcceptedRing accepted;
  private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

  public TraceBook(int window) {
    if (window < 1) throw new IllegalArgumentException("the trace window must hold at least one event");
    this.window = window;
    this.accepted = new AcceptedRing(window);
  }

  /** The view a destination's runner feeds: bound to the destination's window, found once. */
  @Override
  public DeliveryObserver forDestination(String destinationId) {
    return destination(destinationId);
  }

  @Override
  public void read(String destinationId, Event event, int partition, long offset, boolean passed, long atMillis) {
    destination(destinationId).read(destinationId, event, partition, offset, passed, atMillis);
  }

  @Override
  public void delivered(String destinationId, String messageId, long request, int attempts, long atMillis) {
    destination(destinationId).delivered(destinationId, messageId, request, attempts, atMillis);
  }

  @Override
  public void retrying(String destinationId, String messageId, long request, int attempts, String reason, int status,
      Instant nextAttemptAt) {
    destination(destinationId).retrying(destinationId, messageId, request, attempts, reason, status, nextAttemptAt);
  }

  @Override
  public void deadLettered(String destinationId, String messageId, long request, int attempts, String reason, int status) {
    destination(destinationId).deadLettered(destinationId, messageId, request, attempts, reason, status);
  }

  /** How many recent events per destination (and accepted events) it remembers. */
  public int window() {
    return window;
  }

  /** When the destination last saw an event fail (a retry or a dead letter), or null. */
  public Instant lastFailureAt(String destinationId) {
    Destination d = destinations.get(destinationId);
    return d == null ? null : d.lastFailureAt;
  }

  private Destination destination(String destinationId) {
    Destination d = destinations.get(destinationId);
    return d != null ? d : destinations.computeIfAbsent(destinationId, Destination::new);
  }

  /** The trace of {@code messageId} across {@code destinationIds}; null when nothing remembers it. */
  public JsonObject trace(String messageId, List<String> destinationIds) {
    JsonObject answer = new JsonObject().put("messageId", messageId);
    AcceptedRing.Found a = accepted.find(messageId);
    Instant acceptedAt = a == null ? null : a.at();
    answer.put("window", new JsonObject().put("events", window).put("acceptedCoveredSince", millis(accepted.evictedAt())));
    answer.put("accepted", a == null ? null : a.json());
    boolean known = a != null;
    JsonArray list = new JsonArray();
    for (String d : destinationIds) {
      Destination w = destinations.get(d);
      JsonObject o = w == null ? null : w.ring.json(d, messageId);
      known |= o != null;
      list.add(o != null ? o : unseen(d, acceptedAt, w));
    }
    answer.put("destinations", list);
    return known ? answer : null;
  }

  /** A destination that remembers nothing of the event: not read yet, or aged out of its window. */
  private static JsonObject unseen(String destination, Instant acceptedAt, Destination w) {
    long evicted = w == null ? Long.MIN_VALUE : w.ring.evictedAt();
    String since = millis(evicted);
    // Accepted after its last overwrite, the event would still be there had it been read. Within the
    // millisecond of that overwrite it cannot tell: it says unknown rather than a wrong pending.
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

  /**
   * One destination's view: its runner calls it for every event and names it in each call (a call
   * naming another destination goes through the book, so it is never recorded in the wrong place).
   */
  private final class Destination implements DeliveryObserver {
    private final String id;
    private final TraceRing ring;
    private volatile Instant lastFailureAt;

    Destination(String id) {
      this.id = id;
      this.ring = new TraceRing((int) Math.min(2L * window, Integer.MAX_VALUE - 8));
    }

    private boolean mine(String destinationId) {
      return destinationId == id || destinationId.equals(id);
    }

    @Override
    public DeliveryObserver forDestination(String destinationId) {
      return TraceBook.this.forDestination(destinationId);
    }

    // The runner reads the clock once per read or batch and passes it: no clock read per event here.
    @Override
    public void read(String destinationId, Event event, int partition, long offset, boolean passed, long atMillis) {
      if (!mine(destinationId)) {
        TraceBook.this.read(destinationId, event, partition, offset, passed, atMillis);
        return;
      }
      accepted.read(event, partition, offset, atMillis);
      ring.append(event.messageId(), passed ? TraceRing.PENDING : TraceRing.FILTERED, atMillis, 0, 0);
    }

    @Override
    public void delivered(String destinationId, String messageId, long request, int attempts, long atMillis) {
      if (!mine(destinationId)) {
        TraceBook.this.delivered(destinationId, messageId, request, attempts, atMillis);
        return;
      }
      ring.append(messageId, TraceRing.DELIVERED, atMillis, request, attempts);
    }

    @Override
    public void retrying(String destinationId, String messageId, long request, int attempts, String reason,
        int status, Instant nextAttemptAt) {
      if (!mine(destinationId)) {
        TraceBook.this.retrying(destinationId, messageId, request, attempts, reason, status, nextAttemptAt);
        return;
      }
      Instant now = Instant.now();
      lastFailureAt = now;
      ring.appendFailure(messageId, TraceRing.PENDING, now.toEpochMilli(), request, attempts, reason, status,
          nextAttemptAt);
    }

    @Override
    public void deadLettered(String destinationId, String messageId, long request, int attempts, String reason,
        int status) {
      if (!mine(destinationId)) {
        TraceBook.this.deadLettered(destinationId, messageId, request, attempts, reason, status);
        return;
      }
      Instant now = Instant.now();
      lastFailureAt = now;
      ring.appendFailure(messageId, TraceRing.DEAD_LETTERED, now.toEpochMilli(), request, attempts, reason, status,
          null);
    }
  }
}
