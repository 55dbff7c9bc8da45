package dev.herald.destination.testkit;

/**
 * The runner's counters at one moment (what {@code GET /admin/destinations} shows).
 *
 * @param state STARTING, RUNNING, PARKED (breaker open), MISCONFIGURED (parked by a setup error), PAUSED or STOPPED
 * @param breaker CLOSED, OPEN or HALF_OPEN
 * @param lag events in the log not settled yet
 * @param delivered events the destination accepted
 * @param rejected events it refused for good
 * @param retried event sends answered with a retryable failure
 * @param deadLettered events written to the dead-letter store
 * @param inFlight sends awaiting an answer
 * @param lastError the latest failure's reason, or null
 */
public record RunnerSnapshot(String state, String breaker, long lag, long delivered, long rejected, long retried,
    long deadLettered, int inFlight, String lastError) {

  /** Every appended event is settled: delivered, dead-lettered or filtered, and nothing is in flight. */
  public boolean settled() {
    return lag == 0 && inFlight == 0;
  }
}
