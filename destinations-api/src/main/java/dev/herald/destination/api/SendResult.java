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

  /** A permanent failure for every event of the batch: they go to the dead-letter store. */
  static SendResult rejected(String reason, int status, String responseExcerpt) {
    return new Rejected(reason, status, responseExcerpt);
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
   */
  record Retry(String reason, Duration retryAfter, int status) implements SendResult {
    public Retry {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Will never succeed as sent.
   *
   * @param reason why, stored with the dead letter (no secrets)
   * @param status the HTTP status (0 when none)
   * @param responseExcerpt the start of the destination's answer, bounded by the plugin
   */
  record Rejected(String reason, int status, String responseExcerpt) implements SendResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
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
