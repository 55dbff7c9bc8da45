package dev.herald.bus.router;

import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.List;

/**
 * A runner's counters and last error: written on its event loop only, read from any thread (for
 * {@link RunnerStatus}), hence volatile with a single writer.
 */
final class RunnerStats {

  private volatile int inFlight;
  private volatile long delivered;
  private volatile long rejected;
  private volatile long retried;
  private volatile long deadLettered;
  private volatile long filtered;
  private volatile long transformFailed;
  private volatile long oldestUnsettledMillis;
  private volatile String lastError;
  private volatile SendObserver sendObserver = SendObserver.NONE;

  private long requests;

  /** Returns the request's number, counted per destination from 1. */
  long sendStarted() {
    inFlight++;
    return ++requests;
  }

  /** A send answered after {@code nanos}. */
  void sendEnded(String id, int events, long nanos) {
    inFlight--;
    sendObserver.sent(id, events, nanos);
  }

  void observeSends(SendObserver observer) {
    sendObserver = observer == null ? SendObserver.NONE : observer;
  }

  /** Counts a send's outcome, before exhausted retries become dead letters; its first failure is the last error. */
  void count(BatchOutcome outcome) {
    delivered += outcome.delivered().size();
    rejected += outcome.rejected().size();
    retried += outcome.retry().size() + outcome.held().size() + outcome.misconfigured().size();
    List<PendingEvent> failed = !outcome.retry().isEmpty() ? outcome.retry()
        : !outcome.held().isEmpty() ? outcome.held() : outcome.rejected();
    if (!failed.isEmpty()) lastError = failed.get(0).lastReason;
  }

  /** The subscription's lag: 0 before there is one, -1 when it cannot tell. */
  static long lagOf(LogSubscription subscription) {
    if (subscription == null) return 0;
    try {
      return subscription.lag();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  void deadLettered(int events) {
    deadLettered += events;
  }

  void filtered() {
    filtered++;
  }

  /** Events whose transform threw (they become dead letters, counted there too). */
  void transformFailed(int events) {
    transformFailed += events;
  }

  long oldestUnsettledMillis() {
    return oldestUnsettledMillis;
  }

  /** When the oldest event read and not yet settled was received (epoch millis); 0 for none. */
  void oldestUnsettledMillis(long receivedAtMillis) {
    oldestUnsettledMillis = receivedAtMillis;
  }

  void lastError(String reason) {
    lastError = reason;
  }

  String lastError() {
    return lastError;
  }

  RunnerStatus snapshot(String id, String type, RunnerStatus.State state, CircuitBreakerState breaker, long lag,
      LogLosses losses, String suspect, int concurrencyLimit) {
    return new RunnerStatus(id, type, state, breaker, lag, delivered, rejected, retried, deadLettered, filtered,
        inFlight, lastError, transformFailed, oldestUnsettledMillis, losses, suspect, concurrencyLimit);
  }
}
