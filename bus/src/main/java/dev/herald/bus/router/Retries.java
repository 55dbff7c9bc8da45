package dev.herald.bus.router;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * When a failed batch goes again, and when an event has failed for long enough: backoff with
 * jitter, the destination's Retry-After, the retry timers, and exhaustion by {@code maxAttempts}
 * or {@code maxAge}. Used on the runner's event loop only.
 */
final class Retries {

  private final Vertx vertx;
  private final DeliveryPolicy policy;
  private final Map<Batch, Long> timers = new HashMap<>();

  Retries(Vertx vertx, DeliveryPolicy policy) {
    this.vertx = vertx;
    this.policy = policy;
  }

  /**
   * Counts a retry of {@code batch} and sets when it may go again: after its backoff, or after the
   * destination's {@code retryAfter} when that is longer. Returns the delay.
   */
  long backOff(Batch batch, Duration retryAfter) {
    batch.retries++;
    long delay = Math.max(Backoff.millis(policy, batch.retries), honoured(policy, retryAfter));

    batch.notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
    return delay;
  }

  /**
   * The part of a destination's Retry-After (or key hold) Herald honours: at most {@code maxBackoff},
   * so one answer cannot park an ordered lane for hours; a destination that still refuses is asked again.
   */
  static long honoured(DeliveryPolicy policy, Duration retryAfter) {
    return retryAfter == null ? 0 : Math.max(0, Math.min(retryAfter.toMillis(), policy.maxBackoff().toMillis()));
  }

  /** How long {@code batch} must still wait before it may go (zero or less: now). */
  static long waitMillis(Batch batch) {
    return TimeUnit.NANOSECONDS.toMillis(batch.notBeforeNanos - System.nanoTime());
  }

  /** Hands {@code batch} to {@code attempt} after {@code delayMs}. */
  void later(Batch batch, long delayMs, Handler<Batch> attempt) {
    timers.put(batch, vertx.setTimer(Math.max(1, delayMs), t -> {
      timers.remove(batch);
      attempt.handle(batch);
    }));
  }

  /** Batches waiting for their retry timer. */
  int waiting() {
    return timers.size();
  }

  /** Moves the events of {@code failed} that may not retry any more to {@code dead}, saying why. */
  void moveExhausted(List<PendingEvent> failed, List<PendingEvent> dead) {
    if (failed.isEmpty()) return;
    Instant now = Instant.now();
    for (PendingEvent item : List.copyOf(failed)) {
      if (exhausted(item, now)) {
        item.lastReason = "retries exhausted: " + item.lastReason;
        failed.remove(item);
        dead.add(item);
      }
    }
  }

  boolean exhausted(PendingEvent item, Instant now) {
    if (policy.maxAttempts() > 0 && item.attempts >= policy.maxAttempts()) return true;
    return !item.ageFrom.plus(policy.maxAge()).isAfter(now);
  }

  /** Cancels every pending retry (the runner stops: their events stay unsettled). */
  void cancelAll() {
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
  }
}
