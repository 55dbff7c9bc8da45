package dev.herald.destination.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** How a destination answered one batch. The framework acts on it; plugins never retry. */
public sealed interface SendResult
    permits SendResult.Delivered, SendResult.Retry, SendResult.Rejected, SendResult.Partial {

  /** Every event of the batch was accepted. */
  static SendResult delivered() { return Delivered.INSTANCE; }

  /** A transient failure: resend the whole batch later, no sooner than {@code retryAfter} if given. */
  static SendResult retry(String reason, Duration retryAfter) { return new Retry(reason, retryAfter, 0); }

  /**
   * Only this event's user (its partition key) is rate limited: the framework holds the event,
   * and every later event of the same key, for {@code holdFor}, while other keys keep flowing.
   * Use it per event inside a {@link Partial}; a destination-wide slowdown is a plain {@link #retry}.
   */
  static SendResult throttled(String reason, Duration holdFor, int status) {
    return new Retry(reason, Objects.requireNonNull(holdFor, "holdFor"), status, true);
  }

  /** A permanent failure for every event of the batch: they go to the dead-letter store. */
  static SendResult rejected(String reason, int status, String responseExcerpt) {
    return new Rejected(reason, status, responseExcerpt);
  }

  /**
   * Refused because the destination is set up wrong (an invalid API key, a missing required
   * field of the request, HTTP 401/403/407), not because of the events: the framework opens the
   * breaker at once and shows the destination as misconfigured with the reason, keeps the events
   * (none goes to the dead-letter store for it) and probes at the breaker's reset interval, since
   * every further send would fail the same way until an operator fixes the config.
   */
  static SendResult setupError(String reason, int status, String responseExcerpt) {
    return new Rejected(reason, status, responseExcerpt, true);
  }

  /** One outcome per event, in batch order ({@code outcomes.size() == batch.size()}). */
  static SendResult partial(List<SendResult> outcomes) { return new Partial(outcomes); }

  /** Delivered. */
  final class Delivered implements SendResult {
    static final Delivered INSTANCE = new Delivered();
    private Delivered() {}
    @Override public String toString() { return "Delivered"; }
  }

  /**
   * Try again later.
   *
   * @param reason why, for logs and the dead-letter entry if retries run out (no secrets)
   * @param retryAfter the destination's own wait hint, or null
   * @param status the HTTP status (0 when there was none, e.g. a timeout)
   * @param keyThrottled only this event's partition key is throttled (see {@link SendResult#throttled})
   */
  record Retry(String reason, Duration retryAfter, int status, boolean keyThrottled) implements SendResult {
    public Retry {
      Objects.requireNonNull(reason, "reason");
      if (keyThrottled && retryAfter == null) throw new IllegalArgumentException("a key throttle needs a retryAfter");
    }

    /** A retry of the whole batch (not a key throttle). */
    public Retry(String reason, Duration retryAfter, int status) {
      this(reason, retryAfter, status, false);
    }
  }

  /**
   * Will never succeed as sent.
   *
   * @param reason why, stored with the dead letter (no secrets)
   * @param status the HTTP status (0 when none)
   * @param responseExcerpt the start of the destination's answer, bounded by the plugin
   * @param setupError the destination is misconfigured (see {@link SendResult#setupError})
   */
  record Rejected(String reason, int status, String responseExcerpt, boolean setupError) implements SendResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }

    /** An ordinary rejection (not a setup error). */
    public Rejected(String reason, int status, String responseExcerpt) {
      this(reason, status, responseExcerpt, false);
    }
  }

  /** Per-event outcomes; each element is {@link Delivered}, {@link Retry} or {@link Rejected}. */
  record Partial(List<SendResult> outcomes) implements SendResult {
    public Partial {
      outcomes = List.copyOf(outcomes);
      for (SendResult r : outcomes) {
        if (r instanceof Partial) throw new IllegalArgumentException("nested Partial");
      }
    }
  }
}
