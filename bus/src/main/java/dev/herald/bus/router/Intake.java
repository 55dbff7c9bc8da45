package dev.herald.bus.router;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where events enter a runner's send path: events read from the log (filtered, then transformed)
 * and dead letters an operator replays (transformed only: they passed the filter when first read,
 * and a dead letter keeps the event as read, before transforms). Each goes behind its key's held
 * events or into its lane. Used on the runner's event loop only.
 */
final class Intake {

  private final RouteSpec route;
  private final Settlement settlement;
  private final KeyHolds holds;
  private final Lanes lanes;
  private final RunnerStats stats;
  private final PendingOps pending;
  private final Spills spills;
  /** Replayed dead letters not yet settled: told when the runner stops first. */
  private final Set<ReplayTicket> replays = new HashSet<>();
  /** The log can rewind: events of held keys past the hold budget stay in the log (see {@link Spills}). */
  private boolean spillable;

  Intake(RouteSpec route, Settlement settlement, KeyHolds holds, Lanes lanes, RunnerStats stats, PendingOps pending,
      Spills spills) {
    this.spills = spills;
    this.route = route;
    this.settlement = settlement;
    this.holds = holds;
    this.lanes = lanes;
    this.stats = stats;
    this.pending = pending;
  }

  /** Events read from the log; {@code stopping}: only note them as read (they stay unsettled). */
  void accept(List<LogEntry> entries, boolean stopping) {
    long now = System.nanoTime();
    long nowMillis = System.currentTimeMillis(); // the trace's time of this read, once for all its events
    List<PendingEvent> transformFailures = new ArrayList<>(0);
    for (LogEntry entry : entries) {
      Spills.Verdict verdict = spills.verdict(entry, holds.blocked(entry.event().partitionKey()));
      if (verdict == Spills.Verdict.SKIP) continue; // a second pass: handled on the first
      int epoch = settlement.read(entry.partition(), entry.offset(), entry.event().receivedAt().toEpochMilli());
      if (stopping || verdict == Spills.Verdict.SPILL) continue; // unsettled: read again later
      Event event = entry.event();
      boolean passed = route.filter().accepts(event, route.destinationId(), route.type());
      settlement.observer().read(route.destinationId(), event, entry.partition(), entry.offset(), passed, nowMillis);
      if (!passed) {
        settleFiltered(entry);
        continue;
      }
      PendingEvent item = transform(entry, now, null, transformFailures);
      if (item != null) {
        item.epoch = epoch;
        enqueue(item);
      }
    }
    if (!transformFailures.isEmpty()) {
      stats.transformFailed(transformFailures.size());
      pending.track(settlement.deadLetter(transformFailures));
    }
  }

  /** Dead letters sent again; each event's outcome goes to {@code ticket}. */
  void replay(List<Event> events, ReplayTicket ticket) {
    replays.add(ticket);
    ticket.future().onComplete(ar -> replays.remove(ticket));
    long now = System.nanoTime();
    List<PendingEvent> transformFailures = new ArrayList<>(0);
    for (int i = 0; i < events.size(); i++) {
      LogEntry entry = new LogEntry(-1, -1, events.get(i), events.get(i).payloadBytes().length());
      PendingEvent item = transform(entry, now, ticket.slot(i), transformFailures);
      if (item != null) enqueue(item);
    }
    if (!transformFailures.isEmpty()) settlement.deadLetter(transformFailures);
  }

  /** The runner stops: replays still open end with {@code reason} for their unsettled events. */
  void abandonReplays(String reason) {
    List.copyOf(replays).forEach(t -> t.abandon(reason));
  }

  /** The dead-letter reason of an event its transform chain could not shape. */
  static final String TRANSFORM_FAILED = "transform_failed";

  /**
   * The transformed event, or null when the transform throws or yields nothing: then the event,
   * as read, joins {@code failures} (a dead letter with reason {@value #TRANSFORM_FAILED}).
   */
  private PendingEvent transform(LogEntry entry, long now, ReplayTicket.Slot slot, List<PendingEvent> failures) {
    Event transformed;
    String failure;
    try {
      transformed = route.transform().apply(entry.event());
      failure = transformed == null ? TRANSFORM_FAILED + ": the transform yielded nothing" : null;
    } catch (RuntimeException e) {
      transformed = null;
      failure = e.getMessage() != null && e.getMessage().startsWith(TRANSFORM_FAILED) ? e.getMessage()
          : TRANSFORM_FAILED + ": " + e;
    }
    if (failure == null) return new PendingEvent(entry, transformed, now, slot);
    PendingEvent failed = new PendingEvent(entry, entry.event(), now, slot);
    failed.fail(failure, 0, null);
    failures.add(failed);
    return null;
  }

  /** Whether the log can rewind (see {@link Spills}); set once subscribed. */
  void spillable(boolean spillable) {
    this.spillable = spillable;
  }

  private void enqueue(PendingEvent item) {
    if (spillable && item.replay == null && holds.blocked(item.event.partitionKey())) {
      spills.spill(item.entry); // the budget is full: it stays in the log, read again after the hold
    } else if (holds.isHeld(item.event.partitionKey())) {
      holds.add(item.event.partitionKey(), item); // behind its key's throttled events
    } else {
      lanes.add(item);
    }
  }

  private void settleFiltered(LogEntry entry) {
    settlement.settle(entry.partition(), entry.offset());
    stats.filtered();
  }
}
