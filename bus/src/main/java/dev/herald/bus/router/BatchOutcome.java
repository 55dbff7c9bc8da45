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
    Split split = new Split(items.size());
    if (result instanceof SendResult.Partial partial) {
      for (int i = 0; i < items.size(); i++) split.classify(items.get(i), partial.outcomes().get(i));
    } else {
      for (PendingEvent item : items) split.classify(item, result);
    }
    return new BatchOutcome(split.list(split.delivered), split.list(split.rejected), split.list(split.retry),
        split.retryAfter, split.list(split.held), split.setupError, split.list(split.misconfigured));
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

  /**
   * Each list is made when its first event comes, room for the whole batch: a batch mostly fares
   * one way, all its events into one list, which then never grows by copying.
   */
  private static final class Split {
    private final int batchSize;
    List<PendingEvent> delivered;
    List<PendingEvent> rejected;
    List<PendingEvent> retry;
    List<PendingEvent> held;
    List<PendingEvent> misconfigured;
    Duration retryAfter;
    String setupError;

    Split(int batchSize) {
      this.batchSize = batchSize;
    }

    private List<PendingEvent> add(List<PendingEvent> list, PendingEvent item) {
      List<PendingEvent> to = list != null ? list : new ArrayList<>(batchSize);
      to.add(item);
      return to;
    }

    /** The list, or an empty one of its own when no event went there (the runner may add to it). */
    List<PendingEvent> list(List<PendingEvent> list) {
      return list != null ? list : new ArrayList<>();
    }

    void classify(PendingEvent item, SendResult outcome) {
      item.holdFor = null;
      if (outcome instanceof SendResult.Rejected r) {
        item.fail(r.reason(), r.status(), r.responseExcerpt());
        if (r.setupError()) {
          misconfigured = add(misconfigured, item);
          if (setupError == null) setupError = r.reason();
        } else {
          rejected = add(rejected, item);
        }
      } else if (outcome instanceof SendResult.Retry r && r.keyThrottled()) {
        item.fail(r.reason(), r.status(), null);
        item.holdFor = r.retryAfter();
        held = add(held, item);
      } else if (outcome instanceof SendResult.Retry r) {
        item.fail(r.reason(), r.status(), null);
        retry = add(retry, item);
        if (r.retryAfter() != null && (retryAfter == null || r.retryAfter().compareTo(retryAfter) > 0)) {
          retryAfter = r.retryAfter();
        }
      } else {
        delivered = add(delivered, item);
      }
    }
  }
}
