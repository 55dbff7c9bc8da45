package dev.herald.bus.router;

import java.time.Instant;
import java.util.List;

/** Events cut together; its lane counts it as out until every event in it is settled. */
final class Batch {

  final Lane lane;
  List<PendingEvent> items;
  int retries;
  /** No resend before this (System.nanoTime), e.g. the destination's Retry-After. */
  long notBeforeNanos = System.nanoTime();
  /** When its latest send started (System.nanoTime), for the send-time metric. */
  long sentAtNanos;

  Batch(Lane lane, List<PendingEvent> items) {
    this.lane = lane;
    this.items = items;
  }

  /** A send of this batch starts (only a send that happens counts as an attempt); {@code request}: its number. */
  void sending(long request) {
    Instant now = Instant.now();
    for (PendingEvent item : items) {
      item.attempts++;
      item.request = request;
      if (item.firstAttemptAt == null) item.firstAttemptAt = now;
    }
    sentAtNanos = System.nanoTime();
  }
}
