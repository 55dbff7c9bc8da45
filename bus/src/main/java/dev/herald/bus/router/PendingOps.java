package dev.herald.bus.router;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;

/**
 * A runner's operations under way (sends and dead-letter writes), so that stopping waits for them,
 * within a bound. Used on the runner's event loop only.
 */
final class PendingOps {

  private int count;
  private Promise<Void> idle;

  void started() {
    count++;
  }

  void ended() {
    count--;
    if (count == 0 && idle != null) idle.tryComplete();
  }

  /** Counts {@code operation} as under way until it completes. */
  <T> Future<T> track(Future<T> operation) {
    started();
    return operation.onComplete(ar -> ended());
  }

  int count() {
    return count;
  }

  /** Completes when none is under way, or after {@code boundMs} (then fails). */
  Future<Void> idle(long boundMs) {
    if (count == 0) return Future.succeededFuture();
    if (idle == null) idle = Promise.promise();
    return idle.future().timeout(boundMs, TimeUnit.MILLISECONDS);
  }
}
