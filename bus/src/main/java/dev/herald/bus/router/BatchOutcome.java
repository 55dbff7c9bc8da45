package dev.herald.bus.router;

import dev.herald.destination.api.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A send's result split per event: delivered, rejected for good, or to retry (with the longest
 * Retry-After asked for). Records each failed event's reason on it.
 */
record BatchOutcome(List<PendingEvent> delivered, List<PendingEvent> rejected, List<PendingEvent> retry,
    Duration retryAfter) {

  static BatchOutcome of(List<PendingEvent> items, SendResult result) {
    List<PendingEvent> delivered = new ArrayList<>();
    List<PendingEvent> rejected = new ArrayList<>();
    List<PendingEvent> retry = new ArrayList<>();
    Duration retryAfter = null;
    if (result instanceof SendResult.Partial partial && partial.outcomes().size() != items.size()) {
      result = new SendResult.Retry("destination answered " + partial.outcomes().size()
          + " outcomes for " + items.size() + " events", null, 0);
    }
    if (result instanceof SendResult.Partial partial) {
      for (int i = 0; i < items.size(); i++) {
        retryAfter = classify(items.get(i), partial.outcomes().get(i), delivered, rejected, retry, retryAfter);
      }
    } else {
      for (PendingEvent item : items) {
        retryAfter = classify(item, result, delivered, rejected, retry, retryAfter);
      }
    }
    return new BatchOutcome(delivered, rejected, retry, retryAfter);
  }

  private static Duration classify(PendingEvent item, SendResult outcome, List<PendingEvent> delivered,
      List<PendingEvent> rejected, List<PendingEvent> retry, Duration retryAfter) {
    if (outcome instanceof SendResult.Rejected r) {
      item.fail(r.reason(), r.status(), r.responseExcerpt());
      rejected.add(item);
    } else if (outcome instanceof SendResult.Retry r) {
      item.fail(r.reason(), r.status(), null);
      retry.add(item);
      if (r.retryAfter() != null && (retryAfter == null || r.retryAfter().compareTo(retryAfter) > 0)) {
        return r.retryAfter();
      }
    } else {
      delivered.add(item);
    }
    return retryAfter;
  }
}
