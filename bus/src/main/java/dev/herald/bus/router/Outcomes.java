package dev.herald.bus.router;

import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a runner does with a send's result: counts it, settles the delivered, dead-letters the
 * rejected and the exhausted, holds throttled keys back, parks at once on a setup error, and
 * schedules the rest for another attempt. Used on the runner's event loop only.
 */
final class Outcomes {

  /** The runner's logger: its setup-error line reads as before. */
  private static final Logger LOG = LoggerFactory.getLogger(DestinationRunner.class);

  private final String id;
  private final DeliveryPolicy policy;
  private final RunState run;
  private final RunnerStats stats;
  private final RejectionStreak streak;
  private final Settlement settlement;
  private final Retries retries;
  private final KeyHolds holds;
  private final Lanes lanes;
  private final PendingOps pending;
  private final BreakerGate gate;
  /** Sends a batch again (through the breaker, after its wait). */
  private final Consumer<Batch> attempt;
  /** The batch is out of the lane: every event in it is settled or left to the next start. */
  private final Consumer<Batch> finish;

  Outcomes(String id, DeliveryPolicy policy, RunState run, RunnerStats stats, RejectionStreak streak,
      Settlement settlement, Retries retries, KeyHolds holds, Lanes lanes, PendingOps pending, BreakerGate gate,
      Consumer<Batch> attempt, Consumer<Batch> finish) {
    this.id = id;
    this.policy = policy;
    this.run = run;
    this.stats = stats;
    this.streak = streak;
    this.settlement = settlement;
    this.retries = retries;
    this.holds = holds;
    this.lanes = lanes;
    this.pending = pending;
    this.gate = gate;
    this.attempt = attempt;
    this.finish = finish;
  }

  /** The destination answered {@code result} for {@code batch}. */
  void handle(Batch batch, SendResult result) {
    BatchOutcome outcome = BatchOutcome.of(batch.items, result);
    // Events whose partition moved on while they were out: its new owner sends them again.
    if (settlement.anyRevoked()) outcome.drop(settlement::revoked);
    stats.count(outcome);
    streak.observe(outcome);
    settlement.delivered(outcome.delivered());
    List<PendingEvent> dead = outcome.rejected();
    List<PendingEvent> again = outcome.retry();
    List<PendingEvent> held = outcome.held();
    retries.moveExhausted(again, dead);
    retries.moveExhausted(held, dead);
    if (outcome.setupError() != null) {
      setupError(outcome.setupError());
      again = outcome.waitingInOrder(batch.items); // no dead letters, no new key holds: all wait for the fix
      held = List.of();
    }
    settlement.held(held);
    List<PendingEvent> resend = held.isEmpty() && holds.isEmpty() ? again
        : holds.holdBack(batch.items, held, again, lanes, policy.maxAge().toMillis());
    Duration hint = outcome.retryAfter();
    Future<Void> deadDone = dead.isEmpty() ? Future.succeededFuture() : pending.track(settlement.deadLetter(dead));
    deadDone.onComplete(done -> {
      if (done.failed() || resend.isEmpty()) {
        finish.accept(batch); // failed only when stopping: the events stay unsettled
      } else {
        batch.items = resend;
        scheduleRetry(batch, hint);
      }
    });
  }

  private void scheduleRetry(Batch batch, Duration retryAfter) {
    if (run.stopping()) {
      finish.accept(batch);
      return;
    }
    long delay = retries.backOff(batch, retryAfter);
    settlement.retrying(batch.items, delay);
    if (gate.isOpen()) {
      gate.park(batch); // the breaker's reset timeout is the wait now
    } else {
      retries.later(batch, delay, attempt::accept);
    }
  }

  /**
   * The destination says the setup is wrong (e.g. an invalid API key): every send would fail the
   * same way, so park at once instead of after {@code breakerFailures} batches, show the runner as
   * misconfigured and why, and keep the events (they are not at fault) for after the fix.
   */
  private void setupError(String reason) {
    stats.lastError("setup error: " + reason);
    if (!run.misconfigured()) LOG.error("destination {}: {}; parked, probing every {} ms until it is fixed", id,
        stats.lastError(), policy.breakerReset().toMillis());
    gate.openNow();
    run.misconfigured(true, gate.isOpen());
  }
}
