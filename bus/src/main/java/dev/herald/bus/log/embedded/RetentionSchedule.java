package dev.herald.bus.log.embedded;

import dev.herald.bus.log.LogUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When {@link Retention} passes run: on one maintenance thread of their own, so passes never
 * overlap and deleting files never holds up the writer or an event loop. A pass runs every
 * minute (for the age bound), after each roll-over and whenever a cursor is dropped; a request
 * made while a pass already waits to run is folded into it.
 */
final class RetentionSchedule {

  // the log's own category: these are the log's messages to operators, and logging config
  // and log searches name EmbeddedEventLog
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedEventLog.class);
  private static final long CHECK_MILLIS = 60_000;

  private final Vertx vertx;
  private final Retention retention;
  private final Path segmentsDir;
  /** The durable end offset: retention never deletes a segment that ends at or past it. */
  private final LongSupplier endOffset;
  private final ExecutorService maintenance;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private long timer = -1;

  RetentionSchedule(Vertx vertx, Retention retention, Path segmentsDir, LongSupplier endOffset) {
    this.vertx = vertx;
    this.retention = retention;
    this.segmentsDir = segmentsDir;
    this.endOffset = endOffset;
    this.maintenance = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "herald-log-maintenance");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the periodic passes and runs the first one. */
  void start() {
    timer = vertx.setPeriodic(CHECK_MILLIS, id -> request());
    request();
  }

  /** Asks for a pass soon; a failing pass is logged and the next one tries again. */
  void request() {
    if (!scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      maintenance.execute(() -> {
        scheduled.set(false);
        try {
          retention.run(endOffset.getAsLong());
        } catch (IOException | RuntimeException e) {
          LOG.warn("Retention pass over {} failed; it runs again later", segmentsDir, e);
        }
      });
    } catch (RejectedExecutionException closing) {
      scheduled.set(false);
    }
  }

  /** Runs a pass now; the future completes on the caller's context with its outcome. */
  Future<Void> runNow(Context context) {
    Promise<Void> promise = Promise.promise();
    try {
      maintenance.execute(() -> {
        try {
          retention.run(endOffset.getAsLong());
          context.runOnContext(v -> promise.complete());
        } catch (IOException | RuntimeException e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    return promise.future();
  }

  /** Ends the periodic passes; requests after this still run until {@link #shutdown}. */
  void stopTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Lets a running pass finish and refuses later ones. Blocks: call off the event loop. */
  void shutdown() throws InterruptedException {
    maintenance.shutdown();
    maintenance.awaitTermination(30, TimeUnit.SECONDS);
  }
}
