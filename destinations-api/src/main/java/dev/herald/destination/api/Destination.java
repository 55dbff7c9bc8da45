package dev.herald.destination.api;

import io.vertx.core.Future;
import java.util.List;

/**
 * One configured destination. The framework owns batching, retries, the circuit breaker,
 * dead letters and the cursor; a destination only encodes a batch, sends it once and
 * classifies the answer.
 */
public interface Destination {

  /** Opens connections or files. Called once before the first {@link #send}. */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * Sends one batch, at most {@link Limits#maxEvents()} events and about
   * {@link Limits#maxBytes()} encoded bytes. Never blocks the calling event loop and never
   * retries by itself: answer {@link SendResult.Retry} and the framework retries. A failed
   * future counts as a retryable failure.
   */
  Future<SendResult> send(List<Event> batch);

  /** Flushes and releases resources. Called once; no {@link #send} follows. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** Batch bounds and ordering needs; the framework cuts batches to fit. */
  default Limits limits() {
    return Limits.DEFAULT;
  }
}
