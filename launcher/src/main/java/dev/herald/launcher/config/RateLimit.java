package dev.herald.launcher.config;

import java.time.Duration;

/** At most {@code permits} events per {@code per} (a source's {@code rateLimit: 10000/min}). */
public record RateLimit(long permits, Duration per) {

  /** Permits per second, for a token bucket's refill rate. */
  public double perSecond() {
    return permits * 1000.0 / per.toMillis();
  }
}
