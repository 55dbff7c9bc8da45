package dev.herald.bus.router;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner's operations under way (sends and dead-letter writes), so that stopping waits for them,
 * within a bound. Used on the runner's event loop only.
 */
final class PendingOps {

  private static final Logger LOG = LoggerFactory.getLogger(PendingOps.class);

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

  /**
   * Completes when none is under way, or after {@code boundMs}: then the stop goes on and what
   * they carried stays unsettled, to be re-delivered.
   */
  Future<Void> drain(long boundMs, String destinationId) {
    if (count == 0) return Future.succeededFuture();
    if (idle == null) idle = Promise.promise();
    return idle.future().timeout(boundMs, TimeUnit.MILLISECONDS).recover(e -> {
      LOG.warn("destination {}: {} operations still pending at stop; their events will be re-delivered",
          destinationId, count);
      return Future.succeededFuture();
    });
  }
}
