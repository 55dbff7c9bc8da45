package dev.herald.bus.deadletter;

import java.time.Duration;

/**
 * How many dead letters a destination keeps ({@code deadLetters:} in herald.yaml): past either
 * bound the oldest entries are dropped, counted and logged.
 *
 * @param maxBytes the most bytes a destination's store holds (0: no bound)
 * @param maxAge entries dead-lettered longer ago are dropped (null: kept until an operator deletes them)
 */
public record DeadLetterRetention(long maxBytes, Duration maxAge) {

  /** 1 GB per destination, no age bound. */
  public static final DeadLetterRetention DEFAULT = new DeadLetterRetention(1L << 30, null);
  public static final DeadLetterRetention UNBOUNDED = new DeadLetterRetention(0, null);

  public DeadLetterRetention {
    if (maxBytes < 0) throw new IllegalArgumentException("deadLetters.maxBytes must be >= 0");
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("deadLetters.maxAge must be positive");
    }
  }
}
