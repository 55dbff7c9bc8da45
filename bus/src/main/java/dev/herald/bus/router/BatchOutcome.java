package dev.herald.bus.router;

import dev.herald.destination.api.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A send's result split per event: delivered, rejected for good, to retry with the batch (with the
 * longest Retry-After asked for), or held because the destination throttles the event's key (each
 * held event carries its own hold). Records each failed event's reason on it. Its lists are the
 * runner's to change (e.g. exhausted retries move to {@code rejected}).
 *
 * @param setupError the reason of the first rejection flagged as a setup error, or null
 * @param misconfigured the events refused with a setup error: not dead letters (the destination is
 *     set up wrong, not the events), they wait until a probe gets through
 */
record BatchOutcome(List<PendingEvent> delivered, List<PendingEvent> rejected, List<PendingEvent> retry,
    Duration retryAfter, List<PendingEvent> held, String setupError, List<PendingEvent> misconfigured) {

  static BatchOutcome of(List<PendingEvent> items, SendResult result) {
    if (result instanceof SendResult.Partial partial && partial.outcomes().size() != items.size()) {
      result = new SendResult.Retry("destination answered " + partial.outcomes().size()
          + " outcomes for " + items.size() + " events", null, 0);
    }
    Split split = new Split();
    if (result instanceof SendResult.Partial partial) {
      for (int i = 0; i < items.size(); i++) split.classify(items.get(i), partial.outcomes().get(i));
    } else {
      for (PendingEvent item : items) split.classify(item, result);
    }
    return new BatchOutcome(split.delivered, split.rejected, split.retry, split.retryAfter, split.held,
        split.setupError, split.misconfigured);
  }

  /**
   * Leaves out the failed events {@code gone} selects (their partition moved to another consumer,
   * which sends them again); delivered ones stay delivered.
   */
  void drop(Predicate<PendingEvent> gone) {
    rejected.removeIf(gone);
    retry.removeIf(gone);
    held.removeIf(gone);
    misconfigured.removeIf(gone);
  }

  /**
   * After a setup error: the batch's events that are neither delivered nor dead letters (to retry,
   * throttled, or refused for the setup), in batch order, to wait together for the fix. The send
   * that met the setup error does not count as an attempt on the events it refused.
   */
  List<PendingEvent> waitingInOrder(List<PendingEvent> batchItems) {
    Set<PendingEvent> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
    waiting.addAll(retry);
    waiting.addAll(held);
    waiting.addAll(misconfigured);
    for (PendingEvent item : misconfigured) item.attempts = Math.max(0, item.attempts - 1);
    List<PendingEvent> inOrder = new ArrayList<>(waiting.size());
    for (PendingEvent item : batchItems) {
      if (waiting.contains(item)) inOrder.add(item);
    }
    return inOrder;
  }

  private static final class Split {
    final List<PendingEvent> delivered = new ArrayList<>();
    final List<PendingEvent> rejected = new ArrayList<>();
    final List<PendingEvent> retry = new ArrayList<>();
    final List<PendingEvent> held = new ArrayList<>();
    final List<PendingEvent> misconfigured = new ArrayList<>();
    Duration retryAfter;
    String setupError;

    void classify(PendingEvent item, SendResult outcome) {
      item.holdFor = null;
      if (outcome instanceof SendResult.Rejected r) {
        item.fail(r.reason(), r.status(), r.responseExcerpt());
        if (r.setupError()) {
          misconfigured.add(item);
          if (setupError == null) setupError = r.reason();
        } else {
          rejected.add(item);
        }
      } else if (outcome instanceof SendResult.Retry r && r.keyThrottled()) {
        item.fail(r.reason(), r.status(), null);
        item.holdFor = r.retryAfter();
        held.add(item);
      } else if (outcome instanceof SendResult.Retry r) {
        item.fail(r.reason(), r.status(), null);
        retry.add(item);
        if (r.retryAfter() != null && (retryAfter == null || r.retryAfter().compareTo(retryAfter) > 0)) {
          retryAfter = r.retryAfter();
        }
      } else {
        delivered.add(item);
      }
    }
  }
}
