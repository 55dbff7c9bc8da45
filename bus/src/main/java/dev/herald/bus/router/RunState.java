package dev.herald.bus.router;

import dev.herald.bus.log.LogSubscription;

/**
 * What a runner is doing, as its status shows it, and whether the log fetches for it: while an
 * operator paused it or its breaker is open, its subscription pauses (a Kafka consumer pauses its
 * partitions). Written on the runner's event loop only; the state is read from any thread.
 */
final class RunState {

  private volatile RunnerStatus.State state = RunnerStatus.State.STARTING;
  private LogSubscription subscription;
  private boolean paused;
  private boolean fetchPaused;
  private boolean stopping;
  /** The destination answered a setup error: parked until a probe gets through. */
  private boolean misconfigured;

  RunnerStatus.State get() {
    return state;
  }

  /** Subscribed: running from now on. */
  void running(LogSubscription subscription) {
    this.subscription = subscription;
    state = RunnerStatus.State.RUNNING;
  }

  boolean paused() {
    return paused;
  }

  boolean stopping() {
    return stopping;
  }

  /** An operator paused or resumed the runner; {@code parked}: its breaker is open. */
  void paused(boolean paused, boolean parked) {
    this.paused = paused;
    update(parked);
  }

  /** The breaker moved (or the operator did): derive the state and the fetching again. */
  void update(boolean parked) {
    boolean hold = paused || parked;
    if (subscription != null && hold != fetchPaused && !stopping) {
      fetchPaused = hold;
      if (hold) {
        subscription.pause();
      } else {
        subscription.resume();
      }
    }
    if (state == RunnerStatus.State.STOPPED || state == RunnerStatus.State.STARTING) return;
    state = paused ? RunnerStatus.State.PAUSED : misconfigured ? RunnerStatus.State.MISCONFIGURED
        : parked ? RunnerStatus.State.PARKED : RunnerStatus.State.RUNNING;
  }

  /**
   * A setup error parked the runner ({@code true}) or a send got through since ({@code false}):
   * while parked for it, the state reads MISCONFIGURED rather than PARKED, probes included.
   */
  void misconfigured(boolean misconfigured, boolean parked) {
    this.misconfigured = misconfigured;
    update(parked);
  }

  boolean misconfigured() {
    return misconfigured;
  }

  /** Stopping: nothing new starts, and the fetching is left as it is. */
  void stop() {
    stopping = true;
  }

  void stopped() {
    state = RunnerStatus.State.STOPPED;
  }
}
