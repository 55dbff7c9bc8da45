package dev.herald.bus.router;

import dev.herald.destination.api.Event;
import java.time.Instant;

/**
 * Told where each event of a destination ends up (the trace of one messageId, the status page).
 * Called on the runner's event loop, once per event and outcome: implementations must be cheap and
 * never block; several runners call one observer from their own threads.
 */
public interface DeliveryObserver {

  DeliveryObserver NONE = new DeliveryObserver() {};

  /**
   * This observer for one destination's runner, which then calls the result for every event (and
   * names that destination in each call): an implementation can return a view bound to the
   * destination's own state and so spare finding it per event. By default, this observer itself.
   */
  default DeliveryObserver forDestination(String destinationId) {
    return this;
  }

  /**
   * The runner read the event from the log at {@code partition}/{@code offset} at {@code atMillis}
   * (epoch millis, read once for the whole read, so no observer reads the clock per event);
   * {@code passed}: its filter took it.
   */
  default void read(String destinationId, Event event, int partition, long offset, boolean passed, long atMillis) {}

  /**
   * Sent in the destination's request number {@code request} (counted per destination) and accepted,
   * at {@code atMillis} (epoch millis, read once for the whole batch).
   */
  default void delivered(String destinationId, String messageId, long request, int attempts, long atMillis) {}

  /** The request failed for the event; it is sent again no sooner than {@code nextAttemptAt}. */
  default void retrying(String destinationId, String messageId, long request, int attempts, String reason,
      int status, Instant nextAttemptAt) {}

  /** Written to the dead-letter store (or, for a replayed dead letter, failed again). */
  default void deadLettered(String destinationId, String messageId, long request, int attempts, String reason,
      int status) {}
}
