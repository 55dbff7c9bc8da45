package dev.herald.launcher;

import dev.herald.destination.testkit.Await;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits with a deadline: for a condition, by polling it, or for a future's result. */
final class Polling {

  /** Long enough for any single step on a busy machine; a step that takes longer is stuck. */
  static final Duration STEP = Duration.ofSeconds(60);

  private Polling() {}

  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> describe) throws InterruptedException {
    Await.until(timeout, describe, condition);
  }

  /** The future's result, or its failure thrown; an AssertionError if it has none within {@link #STEP}. */
  static <T> T await(Future<T> future) {
    try {
      return future.await(STEP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + STEP, e);
    }
  }
}
