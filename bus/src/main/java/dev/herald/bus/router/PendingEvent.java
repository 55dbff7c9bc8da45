package dev.herald.bus.router;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import java.time.Duration;
import java.time.Instant;

/** One event on its way through a runner: where it is in the log, what is sent, how it fared. */
final class PendingEvent {

  LogEntry entry;
  /** As read from the log: what a dead letter keeps, so a replay transforms it afresh. */
  Event original;
  /** After the transform: what is sent. */
  Event event;
  final int bytes;
  final long readAtNanos;
  /** The runner's epoch of the event's partition when it was read (see partition revocation). */
  int epoch;
  int attempts;
  /** The destination's request number of its last send (0 before the first). */
  long request;
  Instant firstAttemptAt;
  String lastReason;
  int lastStatus;
  String lastExcerpt;
  /** Set when the destination throttles this event's key: how long to hold the key back. */
  Duration holdFor;
  /** A replayed dead letter's place in its replay (null for events read from the log): not in the log, never settled there. */
  final ReplayTicket.Slot replay;
  /** Retries give up {@code maxAge} after this: the event's arrival, or a replay's start. */
  final Instant ageFrom;

  PendingEvent(LogEntry entry, Event event, long readAtNanos) {
    this(entry, event, readAtNanos, null);
  }

  PendingEvent(LogEntry entry, Event event, long readAtNanos, ReplayTicket.Slot replay) {
    this.entry = entry;
    this.original = entry.event();
    this.event = event;
    this.bytes = event.payloadBytes().length();
    this.readAtNanos = readAtNanos;
    this.replay = replay;
    this.ageFrom = replay == null ? original.receivedAt() : Instant.now();
  }

  /**
   * Gives the event payloads of its own. A payload read from the log is a slice of the read
   * buffer it came in, which stays in memory while any event of it does: an event that may wait
   * long (behind a throttled key) must not keep a whole read buffer alive.
   */
  void detach() {
    Event ownOriginal = own(original);
    event = event == original ? ownOriginal : own(event);
    original = ownOriginal;
    entry = new LogEntry(entry.partition(), entry.offset(), ownOriginal, entry.sizeBytes());
  }

  private static Event own(Event e) {
    return new Event(e.messageId(), e.type(), e.topic(), e.sourceId(), e.partitionKey(), e.receivedAt(),
        e.payloadBytes().copy());
  }

  void fail(String reason, int status, String excerpt) {
    lastReason = reason;
    lastStatus = status;
    lastExcerpt = excerpt;
  }
}
