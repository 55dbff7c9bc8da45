package dev.herald.launcher;

import dev.herald.destination.testkit.Await;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it until a deadline (the testkit's {@link Await}); fails with a description otherwise. */
final class Polling {

  private Polling() {}

  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> describe) throws InterruptedException {
    Await.until(timeout, describe, condition);
  }
}
