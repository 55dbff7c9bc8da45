package dev.herald.bus.router;

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

  void sendStarted() {
    inFlight++;
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
    retried += outcome.retry().size() + outcome.held().size();
    List<PendingEvent> failed = !outcome.retry().isEmpty() ? outcome.retry()
        : !outcome.held().isEmpty() ? outcome.held() : outcome.rejected();
    if (!failed.isEmpty()) lastError = failed.get(0).lastReason;
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

  RunnerStatus snapshot(String id, String type, RunnerStatus.State state, CircuitBreakerState breaker, long lag) {
    return new RunnerStatus(id, type, state, breaker, lag, delivered, rejected, retried, deadLettered, filtered,
        inFlight, lastError, transformFailed, oldestUnsettledMillis);
  }
}
