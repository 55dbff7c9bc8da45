package dev.herald.launcher.config;

import dev.herald.bus.deadletter.DeadLetterRetention;
import java.time.Duration;

/**
 * {@code deadLetters:} how many dead letters each destination keeps: {@code maxBytes} (default
 * 1GB; 0 for no bound) and {@code maxAge} (default none: kept until an operator deletes them).
 * Past either bound the oldest entries are dropped, counted and logged.
 */
final class DeadLetterSettings {

  private DeadLetterSettings() {}

  static DeadLetterRetention read(Section s) {
    DeadLetterRetention d = DeadLetterRetention.DEFAULT;
    long maxBytes = s.size("maxBytes", d.maxBytes());
    if (maxBytes > 0 && maxBytes < 1024 * 1024) s.problem("maxBytes", "must be at least 1MB (or 0 for no bound)");
    Duration maxAge = s.duration("maxAge", d.maxAge());
    if (maxAge != null && maxAge.toMillis() < 60_000) s.problem("maxAge", "must be at least 1m");
    s.rejectUnknownKeys();
    try {
      return new DeadLetterRetention(maxBytes, maxAge);
    } catch (IllegalArgumentException e) {
      return d; // reported above
    }
  }
}
