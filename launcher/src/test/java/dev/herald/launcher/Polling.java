package dev.herald.launcher;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it until a deadline; fails with a description otherwise. */
final class Polling {

  private Polling() {}

  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> describe) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + ": " + describe.get());
      Thread.sleep(50);
    }
  }
}
