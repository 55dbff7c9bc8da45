package dev.herald.bus.router;

/**
 * Told of every send a runner made, once the destination answered (or the send timed out), on the
 * runner's event loop: how long it took. For metrics; must be quick and must not block.
 */
@FunctionalInterface
public interface SendObserver {

  SendObserver NONE = (destinationId, events, nanos) -> {};

  /**
   * @param destinationId the runner's destination
   * @param events how many events the send carried
   * @param nanos from the send's start to its answer
   */
  void sent(String destinationId, int events, long nanos);
}
