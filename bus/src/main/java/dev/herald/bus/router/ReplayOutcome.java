package dev.herald.bus.router;

/**
 * How one replayed dead letter fared.
 *
 * @param kind delivered, failed again (rejected, retries exhausted, transform failed, or the runner
 *     stopped first), or left out by the transform
 * @param reason why it failed or was left out; null when delivered
 * @param status the destination's HTTP status of the last failure (0 when none)
 * @param attempts sends made in this replay
 */
public record ReplayOutcome(Kind kind, String reason, int status, int attempts) {

  public enum Kind { DELIVERED, FAILED, FILTERED }

  static ReplayOutcome failed(String reason, int status, int attempts) {
    return new ReplayOutcome(Kind.FAILED, reason, status, attempts);
  }
}
