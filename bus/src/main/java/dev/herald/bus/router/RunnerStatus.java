package dev.herald.bus.router;

import dev.herald.bus.log.LogLosses;
import io.vertx.circuitbreaker.CircuitBreakerState;

/**
 * A snapshot of one destination runner, for the admin API and metrics.
 *
 * @param id destination id
 * @param type destination type
 * @param state what the runner is doing
 * @param breaker its circuit breaker's state
 * @param lag events in the log this destination has not settled yet
 * @param delivered events the destination accepted
 * @param rejected events the destination refused for good (they are dead letters too)
 * @param retried event sends answered with a retryable failure
 * @param deadLettered events written to the dead-letter store (rejected or retries exhausted)
 * @param filtered events the filter (or the transform) left out
 * @param inFlight sends awaiting an answer
 * @param lastError the latest failure's reason, or null
 * @param transformFailed events whose transform threw (dead letters too)
 * @param oldestUnsettledMillis when the oldest event read and not yet settled was received (epoch
 *     millis), 0 when none is
 * @param losses events the log lost for good before this destination got them (retention, damage)
 * @param suspect why the destination looks misconfigured though it rejects event by event (every
 *     event of many batches in a row refused with one status), or null; delivery is unchanged
 * @param concurrencyLimit how many batches may be out at once now: the adaptive limit (see
 *     {@code delivery.adaptiveConcurrency}), else {@code maxInFlight}
 */
public record RunnerStatus(String id, String type, State state, CircuitBreakerState breaker, long lag,
    long delivered, long rejected, long retried, long deadLettered, long filtered, int inFlight,
    String lastError, long transformFailed, long oldestUnsettledMillis, LogLosses losses, String suspect,
    int concurrencyLimit) {

  /** Seconds since the oldest unsettled event was received; 0 when every event read is settled. */
  public double lagSeconds(long nowMillis) {
    return oldestUnsettledMillis == 0 ? 0 : Math.max(0, nowMillis - oldestUnsettledMillis) / 1000.0;
  }

  /**
   * RUNNING: reading and sending; PARKED: the breaker is open; PAUSED: by an operator;
   * MISCONFIGURED: parked because the destination answered a setup error (e.g. HTTP 401), probing
   * at the breaker's reset interval and dead-lettering nothing until a probe gets through.
   */
  public enum State { STARTING, RUNNING, PARKED, PAUSED, STOPPED, MISCONFIGURED }
}
