package dev.herald.destination.testkit;

import java.time.Duration;

/**
 * How the harness's runner delivers (the {@code delivery:} block of herald.yaml), tuned for tests:
 * one lane, short linger and backoff, a breaker that does not open on the failures a test scripts,
 * and a 5 s send timeout.
 *
 * @param batchEvents most events per send (the plugin's limits cap it too)
 * @param lingerMs how long a partial batch waits for more events
 * @param lanes parallel sends (ordered destinations: lanes by partition key)
 * @param initialBackoff first retry delay
 * @param maxBackoff longest retry delay
 * @param maxAge an event still failing this long after it was received is dead-lettered
 * @param maxAttempts an event still failing after this many attempts is dead-lettered (0: no bound)
 * @param breakerFailures consecutive failed sends that open the breaker
 * @param breakerReset how long the breaker stays open before a probe
 * @param sendTimeout a send without an answer after this long counts as a retryable failure
 */
public record Delivery(int batchEvents, long lingerMs, int lanes, Duration initialBackoff, Duration maxBackoff,
    Duration maxAge, int maxAttempts, int breakerFailures, Duration breakerReset, Duration sendTimeout) {

  /** The harness's defaults. */
  public static final Delivery TEST = new Delivery(500, 5, 1, Duration.ofMillis(5), Duration.ofMillis(20),
      Duration.ofHours(1), 0, 1_000, Duration.ofMillis(150), Duration.ofSeconds(5));

  public Delivery batchEvents(int n) {
    return new Delivery(n, lingerMs, lanes, initialBackoff, maxBackoff, maxAge, maxAttempts, breakerFailures,
        breakerReset, sendTimeout);
  }

  public Delivery lingerMs(long ms) {
    return new Delivery(batchEvents, ms, lanes, initialBackoff, maxBackoff, maxAge, maxAttempts, breakerFailures,
        breakerReset, sendTimeout);
  }

  public Delivery lanes(int n) {
    return new Delivery(batchEvents, lingerMs, n, initialBackoff, maxBackoff, maxAge, maxAttempts, breakerFailures,
        breakerReset, sendTimeout);
  }

  public Delivery backoff(Duration initial, Duration max) {
    return new Delivery(batchEvents, lingerMs, lanes, initial, max, maxAge, maxAttempts, breakerFailures,
        breakerReset, sendTimeout);
  }

  public Delivery maxAttempts(int n) {
    return new Delivery(batchEvents, lingerMs, lanes, initialBackoff, maxBackoff, maxAge, n, breakerFailures,
        breakerReset, sendTimeout);
  }

  /** The breaker opens after {@code failures} failed sends in a row and probes again after {@code reset}. */
  public Delivery breaker(int failures, Duration reset) {
    return new Delivery(batchEvents, lingerMs, lanes, initialBackoff, maxBackoff, maxAge, maxAttempts, failures,
        reset, sendTimeout);
  }

  public Delivery sendTimeout(Duration timeout) {
    return new Delivery(batchEvents, lingerMs, lanes, initialBackoff, maxBackoff, maxAge, maxAttempts,
        breakerFailures, breakerReset, timeout);
  }
}
