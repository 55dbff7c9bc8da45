package dev.herald.bus.router;

import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.destination.api.Event;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one destination's share of the log: reads from its own cursor when woken, filters,
 * transforms, cuts batches to the policy and the plugin's limits, sends through its own circuit
 * breaker, and settles every event as delivered, dead-lettered or filtered. Retryable failures
 * back off with jitter and resend without moving the cursor; while the breaker is open the runner
 * parks, and a setup error (e.g. an invalid API key) parks it at once as misconfigured, keeping
 * its events. A key (user) the destination throttles waits in a hold, its later events behind it
 * (past the hold budget they stay in the log, see {@link Spills}), while other keys go on. The
 * cursor commits only the prefix below which every event is settled, so a crash re-delivers and
 * never skips. Partitions the log takes away (a Kafka rebalance) have their settled prefix
 * committed and their unsettled events dropped: their next owner re-reads them.
 *
 * <p>This class keeps the lifecycle and the loop (poll, accept, dispatch, send, outcome); the state
 * lives with its owners: {@link Lanes}, {@link BreakerGate}, {@link Settlement}, {@link KeyHolds},
 * {@link Spills}, {@link Retries}, {@link RunState}, {@link PendingOps}, {@link RunnerStats} and
 * {@link RejectionStreak}; {@link Intake} takes events in and {@link Outcomes} handles each send's
 * result. Deployed as a verticle: all state lives on its own event-loop context, so a slow
 * destination never slows another. {@link #status()}, {@link #pause()} and
 * {@link #resume()} may be called from any thread.
 */
public final class DestinationRunner extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DestinationRunner.class);
  private static final long POLL_FAILURE_DELAY_MS = 500;

  private final RouteSpec route;
  private final EventLog log;
  private final DeadLetterStore deadLetters;
  private final DeliveryPolicy policy;
  private final String id;
  private final RunnerStats stats = new RunnerStats();
  private final RunState run = new RunState();
  private final PendingOps pending = new PendingOps();
  private final boolean startPaused;
  private final RejectionStreak streak;
  private final Spills spills = new Spills((partition, offset) -> this.settlement.settle(partition, offset));
  /** Events and bytes held behind throttled keys before their later events stay in the log. */
  private final long[] holdBudget = {KeyHolds.MAX_HELD_EVENTS, KeyHolds.MAX_HELD_BYTES};
  private volatile Handler<CircuitBreakerState> breakerObserver = s -> {};
  private volatile DeliveryObserver observer = DeliveryObserver.NONE;

  private final AdaptiveConcurrency concurrency;
  /** Batches due to go again while the concurrency limit is reached: they go before any new batch. */
  private final ArrayDeque<Batch> due = new ArrayDeque<>();
  private Lanes lanes;
  private BreakerGate gate;
  private Settlement settlement;
  private KeyHolds holds;
  private Retries retries;
  private Intake intake;
  private Outcomes outcomes;
  private LogSubscription subscription;
  private boolean polling;
  private boolean pollWanted = true;

  /**
   * @param route what to deliver where
   * @param log the log to read
   * @param deadLetters this destination's dead-letter store (opened by the caller)
   */
  public DestinationRunner(RouteSpec route, EventLog log, DeadLetterStore deadLetters) {
    this(route, log, deadLetters, false);
  }

  /** @param startPaused an operator paused it before (it reads and sends nothing until {@link #resume()}) */
  public DestinationRunner(RouteSpec route, EventLog log, DeadLetterStore deadLetters, boolean startPaused) {
    this.startPaused = startPaused;
    this.route = route;
    this.log = log;
    this.deadLetters = deadLetters;
    this.policy = route.policy();
    this.id = route.destinationId();
    this.streak = new RejectionStreak(id);
    this.concurrency = new AdaptiveConcurrency(policy.maxInFlight(), policy.adaptiveConcurrency());
  }

  public String id() {
    return id;
  }

  /** Told of each send's duration (metrics); set before deploying the runner. */
  public void observeSends(SendObserver observer) {
    stats.observeSends(observer);
  }

  /** Events held behind throttled keys now (tests). */
  int heldEvents() {
    return holds == null ? 0 : holds.count();
  }

  /** A smaller hold budget (tests); call before deploying. */
  DestinationRunner holdBudget(int events, long bytes) {
    holdBudget[0] = events;
    holdBudget[1] = bytes;
    return this;
  }

  /** Called on the runner's context at each breaker transition (metrics, tests). */
  public void onBreakerStateChange(Handler<CircuitBreakerState> observer) {
    this.breakerObserver = observer == null ? s -> {} : observer;
  }

  /** Told each event's outcome (the trace); set before deployment. */
  public void observe(DeliveryObserver observer) {
    this.observer = observer == null ? DeliveryObserver.NONE : observer;
  }

  @Override
  public Future<?> start() {
    lanes = new Lanes(vertx, policy, route.destination().limits(), this::dispatch,
        () -> sendsOut() < concurrency.limit());
    holds = new KeyHolds(vertx, this::released, (int) holdBudget[0], holdBudget[1]);
    retries = new Retries(vertx, policy);
    settlement = new Settlement(vertx, id, policy, deadLetters, stats, observer.forDestination(id));
    gate = new BreakerGate(vertx, context, "herald.dest." + id,
        BreakerGate.options(policy, BreakerGate.withGrace(route.sendTimeout().toMillis())), this::breakerMoved);
    intake = new Intake(route, settlement, holds, lanes, stats, pending, spills);
    outcomes = new Outcomes(id, policy, run, stats, streak, settlement, retries, holds, lanes, pending, gate,
        this::attempt, this::finish);
    if (startPaused) run.paused(true, false); // before the subscription exists: nothing is read
    return route.destination().start()
        .compose(v -> log.subscribe(id)
            .recover(e -> route.destination().stop().transform(ignored -> Future.failedFuture(e))))
        .onSuccess(sub -> {
          subscription = sub;
          settlement.commitTo(sub);
          intake.spillable(sub.canRewind());
          run.running(sub);
          run.update(gate.isOpen()); // a pause from before the subscription applies to it now
          sub.onPartitionsRevoked(this::partitionsRevoked);
          sub.onAvailable(v -> {
            pollWanted = true;
            maybePoll();
          });
          maybePoll();
        });
  }

  @Override
  public Future<?> stop() {
    run.stop();
    intake.abandonReplays("the destination stopped before the replay finished");
    lanes.clear();
    retries.cancelAll();
    due.clear(); // their events stay unsettled: the next start re-delivers them
    settlement.stop();
    holds.clear();
    gate.takeAll(); // parked batches stay unsettled: the next start re-delivers them
    return pending.drain(Math.min(route.sendTimeout().toMillis(), 30_000) + 2_000, id)
        .compose(v -> settlement.finalCommit())
        .transform(v -> subscription == null ? Future.succeededFuture() : subscription.close())
        .transform(v -> route.destination().stop())
        .eventually(() -> {
          gate.close();
          run.stopped();
          return Future.succeededFuture();
        });
  }

  /** Stops reading and sending (in-flight sends finish) until {@link #resume()}; completes once in effect. */
  public Future<Void> pause() {
    return onContext(() -> {
      if (!run.stopping()) run.paused(true, gate.isOpen());
    });
  }

  /** Undoes {@link #pause()}; completes once in effect. */
  public Future<Void> resume() {
    return onContext(() -> {
      if (run.stopping() || !run.paused()) return;
      run.paused(false, gate.isOpen());
      releaseParked();
      pollWanted = true;
      dispatch();
    });
  }

  /**
   * Sends dead letters again through the usual path (transform, batches, breaker, retries; not the
   * filter: they passed it), with their messageIds. Completes with each event's outcome, in order;
   * a replayed event that fails again is reported, not dead-lettered a second time. While paused,
   * they wait with the rest.
   */
  public Future<List<ReplayOutcome>> replay(List<Event> events) {
    ReplayTicket ticket = new ReplayTicket(events.size());
    onContext(() -> {
      if (run.stopping() || lanes == null) {
        ticket.abandon("the destination is not running");
        return;
      }
      intake.replay(events, ticket);
      pollWanted = true;
      dispatch();
    }).onFailure(e -> ticket.abandon("the destination is not running")); // never deployed: no context to race
    return ticket.future();
  }

  /** A consistent-enough snapshot; callable from any thread. */
  public RunnerStatus status() {
    LogSubscription sub = subscription;
    long lag = RunnerStats.lagOf(sub);
    BreakerGate g = gate;
    return stats.snapshot(id, route.type(), run.get(), g == null ? CircuitBreakerState.CLOSED : g.state(), lag,
        sub == null ? LogLosses.NONE : sub.losses(), streak.suspect(), concurrency.limit());
  }

  private void maybePoll() {
    if (polling || run.stopping() || run.paused() || gate.isOpen() || subscription == null) return;
    if (!spills.isEmpty() && spills.rewindDue(subscription, holds::blocked)) pollWanted = true;
    if (!pollWanted) return;
    int room = lanes.room();
    long roomBytes = lanes.roomBytes();
    if (room <= 0 || roomBytes <= 0) return; // dispatch() polls again once batches leave the lanes
    if (holds.full() && !subscription.canRewind()) return; // until a hold ends (else held keys spill)
    pollWanted = false;
    polling = true;
    subscription.poll(room, roomBytes).onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        stats.lastError("log read failed: " + ar.cause());
        LOG.warn("destination {}: {}", id, stats.lastError());
        vertx.setTimer(POLL_FAILURE_DELAY_MS, t -> {
          pollWanted = true;
          maybePoll();
        });
        return;
      }
      List<LogEntry> entries = ar.result();
      if (!entries.isEmpty()) {
        pollWanted = true; // there may be more right behind
        intake.accept(entries, run.stopping());
      }
      dispatch();
    });
  }

  private void dispatch() {
    if (run.stopping()) return;
    while (!due.isEmpty() && sendsOut() < concurrency.limit() && !run.paused() && !gate.isOpen()) {
      attempt(due.poll());
    }
    if (!run.paused() && !gate.isOpen()) {
      lanes.cutDue(System.nanoTime(), batch -> {
        attempt(batch);
        return !run.paused() && !gate.isOpen();
      });
    }
    maybePoll();
  }

  private void attempt(Batch batch) {
    if (run.stopping()) {
      return; // its events stay unsettled: the next start re-delivers them
    }
    if (settlement.anyRevoked() && batch.items.removeIf(settlement::revoked) && batch.items.isEmpty()) {
      finish(batch);
      return;
    }
    if (run.paused() || !gate.admits()) {
      gate.park(batch);
      return;
    }
    long waitMs = Retries.waitMillis(batch);
    if (waitMs > 0) {
      retries.later(batch, waitMs, this::attempt); // the destination asked for a longer pause (Retry-After)
      return;
    }
    if (sendsOut() > concurrency.limit()) {
      due.add(batch); // a resend while the limit is reached: it goes first when a send ends
      return;
    }
    List<Event> events = new ArrayList<>(batch.items.size());
    for (PendingEvent item : batch.items) events.add(item.event);
    pending.started();
    gate.send(() -> {
      // Only a send that happens counts as an attempt.
      batch.sending(stats.sendStarted());
      concurrency.sending(lanes.active(), batch.sentAtNanos);
      return route.destination().send(events);
    }).onComplete(ar -> {
      try {
        if (ar.failed()) {
          gate.park(batch); // the breaker refused: nothing was sent
        } else {
          long now = System.nanoTime();
          stats.sendEnded(id, events.size(), now - batch.sentAtNanos);
          concurrency.answered(now - batch.sentAtNanos, AdaptiveConcurrency.of(ar.result()), now);
          outcomes.handle(batch, ar.result());
          // A batch gone into backoff frees its place without finishing: a due resend or a new batch may go.
          dispatch();
        }
      } finally {
        pending.ended();
      }
    });
  }

  /**
   * Batches out now, this one included when called from {@link #attempt}: cut and not finished,
   * less those waiting for a retry, their turn or the breaker. A batch in backoff holds no place,
   * so one failing batch never stops the others, and parked batches never keep a probe back.
   */
  private int sendsOut() {
    return lanes.active() - retries.waiting() - due.size() - gate.parked();
  }

  /** A key's hold ended: its events go first in their lane, oldest first. */
  private void released(String key, List<PendingEvent> items) {
    if (run.stopping()) return;
    if (settlement.anyRevoked()) items.removeIf(settlement::revoked); // their partition's new owner has them
    lanes.putBack(key, items);
    dispatch();
  }

  private void finish(Batch batch) {
    batch.lane.done();
    dispatch();
  }

  /**
   * The log is handing these partitions to another consumer: commit their settled prefix while
   * they are still ours, and drop their unsettled events (queued, waiting or in flight).
   */
  private void partitionsRevoked(Set<Integer> partitions) {
    Map<Integer, Long> points = settlement.revoke(partitions);
    spills.forget(partitions);
    int dropped = lanes.dropPartitions(partitions);
    LOG.info("destination {}: partitions {} moved to another consumer; committed {}, left {} queued events to the next owner",
        id, partitions, points, dropped);
    dispatch();
  }

  private void breakerMoved(CircuitBreakerState breakerState) {
    if (breakerState == CircuitBreakerState.OPEN) {
      LOG.warn("destination {}: circuit breaker open, parked for {} ms (last error: {})",
          id, policy.breakerReset().toMillis(), stats.lastError());
    } else if (breakerState == CircuitBreakerState.CLOSED) {
      LOG.info("destination {}: circuit breaker closed, resuming", id);
      run.misconfigured(false, false); // a probe got through: whatever was wrong is fixed
    }
    run.update(gate.isOpen());
    breakerObserver.handle(breakerState);
    if (run.stopping() || breakerState == CircuitBreakerState.OPEN) return;
    if (breakerState == CircuitBreakerState.HALF_OPEN) {
      // One probe: a parked batch if there is one, else the next batch dispatch cuts.
      Batch probe = gate.takeProbe();
      if (probe != null) attempt(probe);
    } else {
      releaseParked();
    }
    pollWanted = true;
    dispatch();
  }

  private void releaseParked() {
    gate.takeAll().forEach(this::attempt);
  }

  private Future<Void> onContext(Runnable action) {
    return OnLoop.run(context, id, action);
  }
}
