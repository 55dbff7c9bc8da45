package dev.herald.bus.router;

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
}
