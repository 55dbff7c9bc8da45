package dev.herald.destination.api;

/**
 * What one {@link Destination#send} call may carry.
 *
 * @param maxEvents most events in one batch
 * @param maxBytes most bytes of event payloads (as JSON) in one batch
 * @param ordered true if events with the same partition key must arrive in log order;
 *     false lets the framework send batches in parallel without regard to keys
 */
public record Limits(int maxEvents, long maxBytes, boolean ordered) {

  /** 500 events, 5 MB, ordered. */
  public static final Limits DEFAULT = new Limits(500, 5L * 1024 * 1024, true);

  public Limits {
    if (maxEvents < 1) throw new IllegalArgumentException("maxEvents must be >= 1");
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be >= 1");
  }
}
