package dev.herald.destination.api;

import java.util.function.DoubleSupplier;

/**
 * A destination's own metrics, beside the ones Herald keeps for every destination (sends,
 * outcomes, lag). Herald exports them on {@code GET /metrics} as
 * {@code herald_plugin_<type>_<name>} tagged with the destination's id, so a plugin needs no
 * metrics library of its own. Names are lower-case letters, digits and {@code _}; tags come as
 * key, value pairs. Keep tag values few (a status class, not a user id).
 *
 * <pre>{@code
 * DestinationMetrics.Counter throttled = context.metrics().counter("throttled_users");
 * throttled.increment();
 * }</pre>
 */
public interface DestinationMetrics {

  /** Records nothing: what a context without metrics hands out. */
  DestinationMetrics NONE = new DestinationMetrics() {};

  /** A monotonically increasing count; exported with a {@code _total} suffix. */
  interface Counter {
    Counter NONE = amount -> {};

    void increment(double amount);

    default void increment() {
      increment(1);
    }
  }

  /** The counter with this name and tags (the same one on every call with equal arguments). */
  default Counter counter(String name, String... tags) {
    return Counter.NONE;
  }

  /** A value sampled at each scrape, such as a queue's size; {@code value} must not block. */
  default void gauge(String name, DoubleSupplier value, String... tags) {}
}
