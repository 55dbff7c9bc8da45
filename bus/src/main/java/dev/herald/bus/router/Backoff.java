package dev.herald.bus.router;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Retry delays: exponential growth with full jitter, so failing runners do not retry in lockstep. */
final class Backoff {

  private Backoff() {}

  /**
   * A delay for the {@code retries}-th retry (from 1): uniform between {@code initialBackoff} and
   * {@code initialBackoff * 2^retries}, the latter capped at {@code maxBackoff}.
   */
  static long millis(DeliveryPolicy policy, int retries) {
    return millis(policy, retries, ThreadLocalRandom.current());
  }

  /** As {@link #millis(DeliveryPolicy, int)}, with the jitter drawn from {@code random} (seeded in tests). */
  static long millis(DeliveryPolicy policy, int retries, RandomGenerator random) {
    long initial = policy.initialBackoff().toMillis();
    long max = policy.maxBackoff().toMillis();
    int doublings = Math.max(0, retries);
    // initial << doublings would overflow from here on; the cap applies long before anyway
    boolean huge = doublings >= Long.numberOfLeadingZeros(initial) - 1;
    long ceiling = huge ? max : Math.min(max, initial << doublings);
    if (ceiling <= initial) return initial;
    return initial + random.nextLong(ceiling - initial + 1);
  }
}
