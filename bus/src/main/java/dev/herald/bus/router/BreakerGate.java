package dev.herald.bus.router;

import dev.herald.destination.api.SendResult;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A runner's circuit breaker and what waits on it. Sends go through the Vert.x {@link CircuitBreaker},
 * whose failure policy counts the answers that mean "the destination is failing" (see
 * {@link #countsAsFailure}); while it is open, batches park here, and when it half-opens one of them
 * goes as the single probe. Used on the runner's event loop only; transitions are reported there.
 */
final class BreakerGate {

  private final CircuitBreaker breaker;
  private final long timeoutMs;
  private final List<Batch> waiting = new ArrayList<>();
  private boolean probeInFlight;

  /**
   * @param context the runner's context, where {@code onTransition} runs
   * @param onTransition told of every state the breaker enters
   */
  BreakerGate(Vertx vertx, Context context, String name, CircuitBreakerOptions options,
      Handler<CircuitBreakerState> onTransition) {
    this.timeoutMs = options.getTimeout();
    this.breaker = CircuitBreaker.create(name, vertx, options)
        .<SendResult>failurePolicy(sent -> sent.failed() || countsAsFailure(sent.result()))
        .openHandler(v -> onContext(context, () -> onTransition.handle(CircuitBreakerState.OPEN)))
        .halfOpenHandler(v -> onContext(context, () -> onTransition.handle(CircuitBreakerState.HALF_OPEN)))
        .closeHandler(v -> onContext(context, () -> onTransition.handle(CircuitBreakerState.CLOSED)));
  }

  /**
   * The breaker's timeout for a send timeout: a little longer, so that the plugin's own request
   * deadline (the same send timeout) normally fires first and the request is abandoned, with its
   * reason, before the runner gives up on the send and later resends it.
   */
  static long withGrace(long sendTimeoutMs) {
    return sendTimeoutMs + Math.min(1_000, Math.max(50, sendTimeoutMs / 10));
  }

  /** Breaker settings for a destination's policy and send timeout. */
  static CircuitBreakerOptions options(DeliveryPolicy policy, long sendTimeoutMs) {
    // The breaker counts failures in a rolling window: make it long enough that slow, backed-off
    // retries still add up to breakerFailures (any success clears the count anyway).
    long windowMs = Math.max(10_000, Math.min(3_600_000,
        policy.maxBackoff().toMillis() * policy.breakerFailures() * 2));
    return new CircuitBreakerOptions()
        .setMaxFailures(policy.breakerFailures())
        .setResetTimeout(policy.breakerReset().toMillis())
        .setTimeout(sendTimeoutMs)
        .setMaxRetries(0)
        .setFallbackOnFailure(false)
        .setFailuresRollingWindow(windowMs)
        .setNotificationAddress(null);
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  /** Open: the runner is parked. */
  boolean isOpen() {
    return breaker.state() == CircuitBreakerState.OPEN;
  }

  /** Whether a send may go now: not while open, and only one probe while half-open. */
  boolean admits() {
    CircuitBreakerState state = breaker.state();
    return state == CircuitBreakerState.CLOSED || (state == CircuitBreakerState.HALF_OPEN && !probeInFlight);
  }

  /** Parks a batch until the breaker lets sends through again. */
  void park(Batch batch) {
    waiting.add(batch);
  }

  /** Batches parked now. */
  int parked() {
    return waiting.size();
  }

  /** Half-open: the batch to probe with, if one is parked. */
  Batch takeProbe() {
    return waiting.isEmpty() ? null : waiting.remove(0);
  }

  /** Every parked batch, taken out (the breaker closed or an operator resumed). */
  List<Batch> takeAll() {
    List<Batch> ready = new ArrayList<>(waiting);
    waiting.clear();
    return ready;
  }

  /** A setup error: every send would fail alike, so open now rather than after many failures. */
  void openNow() {
    if (breaker.state() == CircuitBreakerState.CLOSED) breaker.open();
  }

  /**
   * Sends through the breaker. {@code send} runs only if the breaker lets it through (so it is the
   * place to count an attempt). Completes with the destination's answer, whatever the breaker made
   * of it; a timeout or a failed send completes as a whole-batch {@link SendResult.Retry}. Fails
   * with {@link OpenCircuitException} when the breaker refused and nothing was sent.
   */
  Future<SendResult> send(Supplier<Future<SendResult>> send) {
    boolean probe = breaker.state() == CircuitBreakerState.HALF_OPEN;
    if (probe) probeInFlight = true;
    Sent sent = new Sent();
    return breaker.<SendResult>execute(() -> sent.answer = guarded(send)).transform(ar -> {
      if (probe) probeInFlight = false;
      if (sent.answer == null) return Future.failedFuture(OpenCircuitException.INSTANCE);
      if (ar.cause() instanceof TimeoutException) {
        return Future.succeededFuture(new SendResult.Retry("no answer within " + timeoutMs + " ms", null, 0));
      }
      // The breaker fails the answers its policy counts as failures; the answer itself stands.
      if (sent.answer.succeeded()) return sent.answer;
      Throwable cause = sent.answer.failed() ? sent.answer.cause() : ar.cause();
      return Future.succeededFuture(new SendResult.Retry("send failed: " + describe(cause), null, 0));
    });
  }

  /** The plugin's answer, with a thrown exception or a missing future or result as a failed send. */
  private static Future<SendResult> guarded(Supplier<Future<SendResult>> send) {
    Future<SendResult> answer;
    try {
      answer = send.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (answer == null) return Future.failedFuture(new IllegalStateException("destination returned no future"));
    return answer.compose(result -> result == null
        ? Future.failedFuture(new IllegalStateException("destination returned no result"))
        : Future.succeededFuture(result));
  }

  /** The destination's answer; none when the breaker refused the send. */
  private static final class Sent {
    Future<SendResult> answer;
  }

  /**
   * What the breaker counts as a failed send: a retry of the whole batch, a partial answer where
   * every event is to be retried, or any setup error. Key throttles are not failures: the
   * destination works, it only slows some users down.
   */
  static boolean countsAsFailure(SendResult result) {
    if (result instanceof SendResult.Retry retry) return !retry.keyThrottled();
    if (result instanceof SendResult.Rejected rejected) return rejected.setupError();
    if (!(result instanceof SendResult.Partial partial) || partial.outcomes().isEmpty()) return false;
    boolean allRetry = true;
    boolean plainRetry = false;
    for (SendResult outcome : partial.outcomes()) {
      if (outcome instanceof SendResult.Rejected rejected && rejected.setupError()) return true;
      if (outcome instanceof SendResult.Retry retry) {
        plainRetry |= !retry.keyThrottled();
      } else {
        allRetry = false;
      }
    }
    return allRetry && plainRetry;
  }

  /** Drops the parked batches and closes the breaker's timers (the runner stops). */
  void close() {
    waiting.clear();
    breaker.close();
  }

  static String describe(Throwable t) {
    if (t == null) return "unknown failure";
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static void onContext(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
