package dev.herald.bus.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a runner delivers to one destination ({@code delivery:} in herald.yaml). It checks itself
 * ({@link #problems()}): the config validation lists those problems and a route refuses a policy
 * that has any, so the rules live here only.
 *
 * @param batchEvents most events per send (also capped by the plugin's limits)
 * @param lingerMs how long a partial batch waits for more events
 * @param maxInFlight parallel sends; with ordered destinations each lane owns a share of partition keys
 * @param initialBackoff first retry delay (doubled each attempt, with jitter)
 * @param maxBackoff longest retry delay
 * @param maxAge an event still failing this long after it was received goes to dead letters
 * @param maxAttempts an event still failing after this many attempts goes to dead letters (0 = no bound)
 * @param breakerFailures consecutive failed sends that open the breaker
 * @param breakerReset how long the breaker stays open before a half-open probe
 * @param sendTimeout a send without an answer after this long counts as a retryable failure; the
 *     plugin gets it as its requests' total timeout, so a request is abandoned before it is resent
 * @param adaptiveConcurrency true: how many sends are out at once adapts to the destination's
 *     answers, from 1 up to {@code maxInFlight} (see {@link AdaptiveConcurrency}); false: always
 *     {@code maxInFlight}
 */
public record DeliveryPolicy(int batchEvents, long lingerMs, int maxInFlight, Duration initialBackoff,
    Duration maxBackoff, Duration maxAge, int maxAttempts, int breakerFailures, Duration breakerReset,
    Duration sendTimeout, boolean adaptiveConcurrency) {

  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

  public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(500, 200, 2, Duration.ofSeconds(1),
      Duration.ofMinutes(5), Duration.ofHours(24), 0, 5, Duration.ofSeconds(30));

  /** A policy with adaptive concurrency. */
  public DeliveryPolicy(int batchEvents, long lingerMs, int maxInFlight, Duration initialBackoff,
      Duration maxBackoff, Duration maxAge, int maxAttempts, int breakerFailures, Duration breakerReset,
      Duration sendTimeout) {
    this(batchEvents, lingerMs, maxInFlight, initialBackoff, maxBackoff, maxAge, maxAttempts, breakerFailures,
        breakerReset, sendTimeout, true);
  }

  /** A policy with the default send timeout and adaptive concurrency. */
  public DeliveryPolicy(int batchEvents, long lingerMs, int maxInFlight, Duration initialBackoff,
      Duration maxBackoff, Duration maxAge, int maxAttempts, int breakerFailures, Duration breakerReset) {
    this(batchEvents, lingerMs, maxInFlight, initialBackoff, maxBackoff, maxAge, maxAttempts, breakerFailures,
        breakerReset, DEFAULT_SEND_TIMEOUT);
  }

  /** This policy with another send timeout. */
  public DeliveryPolicy withSendTimeout(Duration timeout) {
    return new DeliveryPolicy(batchEvents, lingerMs, maxInFlight, initialBackoff, maxBackoff, maxAge, maxAttempts,
        breakerFailures, breakerReset, timeout, adaptiveConcurrency);
  }

  /** This policy with adaptive concurrency on or off (off: always {@code maxInFlight} sends at once). */
  public DeliveryPolicy withAdaptiveConcurrency(boolean adaptive) {
    return new DeliveryPolicy(batchEvents, lingerMs, maxInFlight, initialBackoff, maxBackoff, maxAge, maxAttempts,
        breakerFailures, breakerReset, sendTimeout, adaptive);
  }

  /** The longest linger and the most parallel sends a policy may ask for. */
  public static final long MAX_LINGER_MS = 60_000;
  public static final int MAX_IN_FLIGHT = 64;

  /**
   * One thing wrong with a policy.
   *
   * @param key where, under {@code delivery:} (e.g. {@code retry.initialBackoff})
   * @param message why (e.g. {@code must not exceed maxBackoff})
   */
  public record Problem(String key, String message) {
    @Override
    public String toString() {
      return "delivery." + key + ": " + message;
    }
  }

  /** Every problem with this policy; empty when it is fine. */
  public List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    if (batchEvents < 1) problems.add(new Problem("batchEvents", "must be a positive integer"));
    if (lingerMs < 0 || lingerMs > MAX_LINGER_MS) {
      problems.add(new Problem("lingerMs", "must be an integer from 0 to " + MAX_LINGER_MS));
    }
    if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT) {
      problems.add(new Problem("maxInFlight", "must be an integer from 1 to " + MAX_IN_FLIGHT));
    }
    positive(problems, "retry.initialBackoff", initialBackoff);
    positive(problems, "retry.maxBackoff", maxBackoff);
    if (initialBackoff != null && maxBackoff != null && initialBackoff.compareTo(maxBackoff) > 0) {
      problems.add(new Problem("retry.initialBackoff", "must not exceed maxBackoff"));
    }
    positive(problems, "retry.maxAge", maxAge);
    if (maxAttempts < 0) problems.add(new Problem("retry.maxAttempts", "must be a non-negative integer (0 = no bound)"));
    if (breakerFailures < 1) problems.add(new Problem("breaker.failures", "must be a positive integer"));
    positive(problems, "breaker.reset", breakerReset);
    positive(problems, "sendTimeout", sendTimeout);
    return problems;
  }

  private static void positive(List<Problem> problems, String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(new Problem(key, "must be longer than zero"));
    } else if (d.toMillis() < 1) {
      problems.add(new Problem(key, "must be at least 1ms"));
    }
  }
}
