package dev.herald.destination.testkit;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests, always with a deadline: a future's result, or a condition polled until it
 * holds. Polling is how a test waits for something asynchronous; it never sleeps a fixed time
 * hoping the work is done. Call these from the test thread, never from an event loop.
 */
public final class Await {

  /** Long enough for a busy 2-core build machine; a hang still ends the test. */
  public static final Duration DEFAULT = Duration.ofSeconds(30);
  private static final long POLL_MS = 10;

  private Await() {}

  /** The future's result, waiting at most {@link #DEFAULT}. */
  public static <T> T result(Future<T> future) {
    return result(future, DEFAULT);
  }

  /** The future's result; an {@link AssertionError} if it failed or did not complete within {@code timeout}. */
  public static <T> T result(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  /** The failure the future ends with; an {@link AssertionError} if it succeeds or hangs. */
  public static Throwable failure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete within " + DEFAULT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  /** Polls {@code condition} until it holds, at most {@link #DEFAULT}; the message names {@code what}. */
  public static void until(Supplier<String> what, BooleanSupplier condition) {
    until(DEFAULT, what, condition);
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes (then fails naming {@code what}). */
  public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what.get());
      }
      try {
        Thread.sleep(POLL_MS); // the poll interval of a wait with a deadline, not a synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what.get(), e);
      }
    }
  }
}
