package dev.herald.bus.router;

import dev.herald.destination.api.SendResult;

/**
 * How many batches a destination may have out at once, found from its answers the way Vector's
 * adaptive request concurrency does (AIMD): the limit starts at 1; once per observation window
 * (about one round trip long) it grows by one if the window used the whole limit and the mean
 * round-trip time stayed near its moving average, and shrinks to {@value #DECREASE_RATIO} of itself
 * if the destination pushed back (HTTP 429/503, a wait hint, a timeout: at the first such answer)
 * or the mean round trip rose
 * past the average by more than {@value #RTT_DEVIATION_SCALE} times its moving deviation (and at
 * least {@value #RTT_TOLERANCE} of it: a busy host's noise is no signal). Always within
 * [1, maxInFlight]. Turned off, the limit is maxInFlight.
 *
 * <p>Driven by the caller's clock (nanoseconds), so a test replays recorded sequences. Used on the
 * runner's event loop only; {@link #limit()} may be read from any thread.
 */
final class AdaptiveConcurrency {

  /** What an answer says about the destination's load. */
  enum Signal {
    /** Answered (delivered or rejected): its round trip counts. */
    ANSWERED,
    /** Told to slow down, or no answer in time. */
    BACK_PRESSURE,
    /** Failed for another reason (e.g. HTTP 500, a refused connection): says nothing about load. */
    OTHER
  }

  static final double DECREASE_RATIO = 0.9;
  static final double EWMA_ALPHA = 0.4;
  static final double RTT_DEVIATION_SCALE = 2.5;
  static final double RTT_TOLERANCE = 0.25;

  private final int max;
  private final boolean adaptive;
  private volatile int limit;
  /** Moving average and deviation of the windows' mean round trip (ns); NaN before the first. */
  private double pastRtt = Double.NaN;
  private double pastDeviation;
  private long windowStart = -1;
  private double rttSum;
  private int rttCount;
  private boolean pushedBack;
  private boolean usedLimit;

  /** @param adaptive false: a fixed limit of {@code maxInFlight} */
  AdaptiveConcurrency(int maxInFlight, boolean adaptive) {
    this.max = Math.max(1, maxInFlight);
    this.adaptive = adaptive;
    this.limit = adaptive ? 1 : max;
  }

  int limit() {
    return limit;
  }

  /** A send starts with {@code inFlight} batches out, itself included. */
  void sending(int inFlight, long nowNanos) {
    if (!adaptive) return;
    if (windowStart < 0) windowStart = nowNanos;
    if (inFlight >= limit) usedLimit = true;
  }

  /** A send that started {@code rttNanos} ago ended with {@code signal}. */
  void answered(long rttNanos, Signal signal, long nowNanos) {
    if (!adaptive) return;
    if (windowStart < 0) windowStart = nowNanos - rttNanos;
    if (signal == Signal.BACK_PRESSURE && !pushedBack) {
      // At once, not at the window's end: a refusal frees its place at once, and refilling it
      // at the old limit would only be refused again. Once per window, like TCP once per round trip.
      pushedBack = true;
      limit = Math.max(1, (int) (limit * DECREASE_RATIO));
    }
    if (signal == Signal.ANSWERED) {
      rttSum += rttNanos;
      rttCount++;
    }
    double window = Double.isNaN(pastRtt) ? (rttCount > 0 ? rttSum / rttCount : 0) : pastRtt;
    if (nowNanos - windowStart >= window) endWindow(nowNanos);
  }

  private void endWindow(long nowNanos) {
    double current = rttCount > 0 ? rttSum / rttCount : Double.NaN;
    boolean rose = !Double.isNaN(current) && !Double.isNaN(pastRtt)
        && current > pastRtt + Math.max(RTT_DEVIATION_SCALE * pastDeviation, RTT_TOLERANCE * pastRtt);
    if (pushedBack) {
      // shrunk already when the destination pushed back
    } else if (rose) {
      limit = Math.max(1, (int) (limit * DECREASE_RATIO));
    } else if (usedLimit && !Double.isNaN(current) && limit < max) {
      limit = limit + 1;
    }
    if (!Double.isNaN(current)) {
      if (Double.isNaN(pastRtt)) {
        pastRtt = current;
      } else {
        double difference = current - pastRtt;
        pastRtt += EWMA_ALPHA * difference;
        pastDeviation += EWMA_ALPHA * (Math.abs(difference) - pastDeviation);
      }
    }
    windowStart = nowNanos;
    rttSum = 0;
    rttCount = 0;
    pushedBack = false;
    usedLimit = false;
  }

  /**
   * What {@code result} says about load: a whole-batch retry with HTTP 429 or 503, a wait hint or
   * no answer in time is back pressure (a throttled key is not: holds deal with it, the others go
   * on); any other retry says nothing; an answer, even a rejection, times a round trip.
   */
  static Signal of(SendResult result) {
    if (result instanceof SendResult.Retry retry) return retrySignal(retry);
    if (result instanceof SendResult.Partial partial) {
      for (SendResult r : partial.outcomes()) {
        if (r instanceof SendResult.Retry retry && retrySignal(retry) == Signal.BACK_PRESSURE) return Signal.BACK_PRESSURE;
      }
    }
    return Signal.ANSWERED;
  }

  private static Signal retrySignal(SendResult.Retry retry) {
    if (retry.keyThrottled()) return Signal.ANSWERED;
    if (retry.status() == 429 || retry.status() == 503 || retry.retryAfter() != null) return Signal.BACK_PRESSURE;
    // The runner's and the plugins' timeouts read "no answer within …" / "no complete answer within …".
    if (retry.status() == 0 && retry.reason().contains("answer within")) return Signal.BACK_PRESSURE;
    return Signal.OTHER;
  }
}
