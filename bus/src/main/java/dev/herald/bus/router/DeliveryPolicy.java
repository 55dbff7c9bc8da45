package dev.herald.bus.router;

import java.time.Duration;

/**
 * How a runner delivers to one destination ({@code delivery:} in herald.yaml).
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
 */
public record DeliveryPolicy(int batchEvents, long lingerMs, int maxInFlight, Duration initialBackoff,
    Duration maxBackoff, Duration maxAge, int maxAttempts, int breakerFailures, Duration breakerReset) {

  public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(500, 200, 2, Duration.ofSeconds(1),
      Duration.ofMinutes(5), Duration.ofHours(24), 0, 5, Duration.ofSeconds(30));
}
