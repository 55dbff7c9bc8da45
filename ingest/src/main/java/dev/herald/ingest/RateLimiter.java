package dev.herald.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket per rate-limited source (hence per write key), shared by every ingest instance.
 * A bucket holds up to a full period's permits and refills continuously; each event costs one
 * token. A request passes when the bucket holds its cost (or, for a request larger than the
 * whole bucket, when the bucket is full) and may leave the bucket in debt, which later requests
 * wait out.
 */
final class RateLimiter {

  private volatile Map<String, Bucket> buckets = new HashMap<>();
  private final Clock clock;
  private final AtomicLong limited = new AtomicLong();

  RateLimiter(List<SourceOptions> sources, Clock clock) {
    this.clock = clock;
    update(sources);
  }

  /** Takes the rate limits of {@code sources}; a source whose limit is unchanged keeps its bucket (and its debt). */
  void update(List<SourceOptions> sources) {
    Map<String, Bucket> old = buckets;
    Map<String, Bucket> next = new HashMap<>();
    for (SourceOptions source : sources) {
      if (source.rateLimit() != null) {
        Bucket kept = old.get(source.id());
        next.put(source.id(), kept != null && kept.limit.equals(source.rateLimit()) ? kept
            : new Bucket(source.rateLimit(), nanos(clock.instant())));
      }
    }
    buckets = next;
  }

  /** Takes {@code events} tokens from the source's bucket; a 429 error when it cannot. */
  void acquire(String sourceId, int events) {
    Bucket bucket = buckets.get(sourceId);
    if (bucket == null) {
      return;
    }
    long waitNanos = bucket.take(events, nanos(clock.instant()));
    if (waitNanos > 0) {
      throw refused(sourceId, bucket, waitNanos);
    }
  }

  /** Refuses a request early, before its body is read, when the source's bucket is empty or in debt. */
  void requireAvailable(String sourceId) {
    Bucket bucket = buckets.get(sourceId);
    if (bucket == null) {
      return;
    }
    long waitNanos = bucket.waitFor(1, nanos(clock.instant()));
    if (waitNanos > 0) {
      throw refused(sourceId, bucket, waitNanos);
    }
  }

  /** Requests refused so far. */
  long limited() {
    return limited.get();
  }

  private RateLimitedException refused(String sourceId, Bucket bucket, long waitNanos) {
    limited.incrementAndGet();
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    return new RateLimitedException(seconds, "source '" + sourceId + "' is over its rate limit (rateLimit: "
        + bucket.limit + "); retry after " + seconds + " s");
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** A 429 with the seconds to put in Retry-After. */
  static final class RateLimitedException extends IngestException {
    final long retryAfterSeconds;

    RateLimitedException(long retryAfterSeconds, String message) {
      super(ErrorCode.RATE_LIMITED, message);
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  private static final class Bucket {
    private final RateLimit limit;
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long updatedNanos;

    Bucket(RateLimit limit, long nowNanos) {
      this.limit = limit;
      this.capacity = limit.permits();
      this.perNano = limit.tokensPerNano();
      this.tokens = capacity;
      this.updatedNanos = nowNanos;
    }

    /** Takes the tokens and returns 0, or returns the nanoseconds until they would be there. */
    synchronized long take(int cost, long nowNanos) {
      long wait = waitFor(cost, nowNanos);
      if (wait == 0) {
        tokens -= cost;
      }
      return wait;
    }

    synchronized long waitFor(int cost, long nowNanos) {
      refill(nowNanos);
      double needed = Math.min(cost, capacity);
      if (tokens >= needed) {
        return 0;
      }
      return (long) Math.ceil((needed - tokens) / perNano);
    }

    private void refill(long nowNanos) {
      long elapsed = nowNanos - updatedNanos;
      if (elapsed > 0) {
        tokens = Math.min(capacity, tokens + elapsed * perNano);
        updatedNanos = nowNanos;
      }
    }
  }
}
