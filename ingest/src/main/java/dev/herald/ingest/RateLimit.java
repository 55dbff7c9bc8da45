package dev.herald.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code permits} events per {@code per} for one source ({@code rateLimit: 10000/min}),
 * enforced as a token bucket that holds up to {@code permits} tokens and refills continuously.
 */
public record RateLimit(long permits, Duration per) {

  public RateLimit {
    Objects.requireNonNull(per, "per");
    if (permits <= 0) {
      throw new IllegalArgumentException("a rate limit needs a positive number of events, got " + permits);
    }
    if (per.isNegative() || per.isZero()) {
      throw new IllegalArgumentException("a rate limit needs a positive period, got " + per);
    }
  }

  /** Tokens added per nanosecond. */
  double tokensPerNano() {
    return (double) permits / per.toNanos();
  }

  @Override
  public String toString() {
    return permits + "/" + describe(per);
  }

  private static String describe(Duration per) {
    if (per.equals(Duration.ofSeconds(1))) return "s";
    if (per.equals(Duration.ofMinutes(1))) return "min";
    if (per.equals(Duration.ofHours(1))) return "h";
    if (per.equals(Duration.ofDays(1))) return "d";
    return per.toMillis() + "ms";
  }
}
