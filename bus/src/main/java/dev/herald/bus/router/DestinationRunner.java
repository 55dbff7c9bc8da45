package dev.herald.bus.router;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one destination's share of the log: reads from its own cursor when woken, filters,
 * transforms, cuts batches to the policy and the plugin's limits, sends through its own circuit
 * breaker, and settles every event as delivered, dead-lettered or filtered. Retryable failures
 * back off with jitter and resend without moving the cursor; while the breaker is open the runner
 * parks, and a setup error (e.g. an invalid API key) opens it at once. Events whose key (user) the
 * destination throttles wait in a per-key hold, their key's later events behind them, while the
 * lane goes on with other keys. The cursor commits only the prefix below which every event is
 * settled, so a crash re-delivers and never skips.
 *
 * <p>Deployed as a verticle: all state lives on its own event-loop context, so a slow destination
 * never slows another. {@link #status()}, {@link #pause()} and {@link #resume()} may be called
 * from any thread.
 */
public final class DestinationRunner extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DestinationRunner.class);
  private static final long COMMIT_DELAY_MS = 100;
  private static final long POLL_FAILURE_DELAY_MS = 500;
  /** Reading stops while this many events (or bytes) wait behind throttled keys. */
  static final int MAX_HELD_EVENTS = 100_000;
  static final long MAX_HELD_BYTES = 64L * 1024 * 1024;

  private final RouteSpec route;
  private final EventLog log;
  private final DeadLetterStore deadLetters;
  private final DeliveryPolicy policy;
  private final String id;

  private int maxBatchEvents;
  private long maxBatchBytes;
  private int maxQueued;
  private long maxQueuedBytes;
  private Lane[] lanes;

  private CircuitBreaker breaker;
  private LogSubscription subscription;
  private final OffsetTracker offsets = new OffsetTracker();
  private final List<Batch> waiting = new ArrayList<>();
  private final Map<Batch, Long> retryTimers = new HashMap<>();
  private KeyHolds holds;
  private volatile Handler<CircuitBreakerState> breakerObserver = s -> {};

  private volatile RunnerStatus.State state = RunnerStatus.State.STARTING;
  private boolean paused;
  private boolean stopping;
  private boolean polling;
  private boolean pollWanted = true;
  private boolean probeInFlight;
  private int queued;
  private long queuedBytes;
  private int pendingOps;
  private Promise<Void> drained;
  private long lingerTimer = -1;
  private long commitTimer = -1;
  private Future<Void> commitChain = Future.succeededFuture();

  private volatile int inFlight;
  private volatile long delivered;
  private volatile long rejected;
  private volatile long retried;
  private volatile long deadLettered;
  private volatile long filtered;
  private volatile String lastError;

  /**
   * @param route what to deliver where
   * @param log the log to read
   * @param deadLetters this destination's dead-letter store (opened by the caller)
   */
  public DestinationRunner(RouteSpec route, EventLog log, DeadLetterStore deadLetters) {
    this.route = route;
    this.log = log;
    this.deadLetters = deadLetters;
    this.policy = route.policy();
    this.id = route.destinationId();
  }

  public String id() {
    return id;
  }

  /** Called on the runner's context at each breaker transition (metrics, tests). */
  public void onBreakerStateChange(Handler<CircuitBreakerState> observer) {
    this.breakerObserver = observer == null ? s -> {} : observer;
  }

  @Override
  public Future<?> start() {
    Limits limits = route.destination().limits();
    maxBatchEvents = Math.max(1, Math.min(policy.batchEvents(), limits.maxEvents()));
    maxBatchBytes = limits.maxBytes();
    int laneCount = limits.ordered() ? policy.maxInFlight() : 1;
    int laneCapacity = limits.ordered() ? 1 : policy.maxInFlight();
    lanes = new Lane[laneCount];
    for (int i = 0; i < laneCount; i++) lanes[i] = new Lane(laneCapacity);
    holds = new KeyHolds(vertx, this::released);
    // Read ahead enough to keep every lane busy with full batches, and no more.
    maxQueued = maxBatchEvents * policy.maxInFlight() * 2;
    maxQueuedBytes = Math.min(maxBatchBytes * policy.maxInFlight() * 2, 256L * 1024 * 1024);

    breaker = CircuitBreaker.create("herald.dest." + id, vertx, breakerOptions())
        .openHandler(v -> onContext(this::breakerOpened))
        .halfOpenHandler(v -> onContext(this::breakerHalfOpen))
        .closeHandler(v -> onContext(this::breakerClosed));

    return route.destination().start()
        .compose(v -> log.subscribe(id)
            .recover(e -> route.destination().stop().transform(ignored -> Future.failedFuture(e))))
        .onSuccess(sub -> {
          subscription = sub;
          state = RunnerStatus.State.RUNNING;
          sub.onAvailable(v -> {
            pollWanted = true;
            maybePoll();
          });
          maybePoll();
        });
  }

  private CircuitBreakerOptions breakerOptions() {
    // The breaker counts failures in a rolling window: make it long enough that slow, backed-off
    // retries still add up to breakerFailures (any success clears the count anyway).
    long windowMs = Math.max(10_000, Math.min(3_600_000,
        policy.maxBackoff().toMillis() * policy.breakerFailures() * 2));
    return new CircuitBreakerOptions()
        .setMaxFailures(policy.breakerFailures())
        .setResetTimeout(policy.breakerReset().toMillis())
        .setTimeout(route.sendTimeout().toMillis())
        .setMaxRetries(0)
        .setFallbackOnFailure(false)
        .setFailuresRollingWindow(windowMs)
        .setNotificationAddress(null);
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    cancelTimer(lingerTimer);
    cancelTimer(commitTimer);
    retryTimers.values().forEach(vertx::cancelTimer);
    retryTimers.clear();
    waiting.clear();
    holds.clear();
    for (Lane lane : lanes) lane.queue.clear();
    Future<Void> drain;
    if (pendingOps == 0) {
      drain = Future.succeededFuture();
    } else {
      drained = Promise.promise();
      long boundMs = Math.min(route.sendTimeout().toMillis(), 30_000) + 2_000;
      drain = drained.future().timeout(boundMs, TimeUnit.MILLISECONDS)
          .recover(e -> {
            LOG.warn("destination {}: {} operations still pending at stop; their events will be re-delivered",
                id, pendingOps);
            return Future.succeededFuture();
          });
    }
    return drain
        .compose(v -> subscription == null ? Future.succeededFuture() : commitNow())
        .recover(e -> {
          LOG.warn("destination {}: final commit failed: {}", id, e.toString());
          return Future.succeededFuture();
        })
        .transform(v -> subscription == null ? Future.succeededFuture() : subscription.close())
        .transform(v -> route.destination().stop())
        .eventually(() -> {
          breaker.close();
          state = RunnerStatus.State.STOPPED;
          return Future.succeededFuture();
        });
  }

  /** Stops reading and sending (in-flight sends finish) until {@link #resume()}. */
  public void pause() {
    onContext(() -> {
      if (stopping) return;
      paused = true;
      updateState();
    });
  }

  /** Undoes {@link #pause()}. */
  public void resume() {
    onContext(() -> {
      if (stopping || !paused) return;
      paused = false;
      updateState();
      releaseWaiting();
      pollWanted = true;
      dispatch();
    });
  }

  /** A consistent-enough snapshot; callable from any thread. */
  public RunnerStatus status() {
    long lag = 0;
    LogSubscription sub = subscription;
    if (sub != null) {
      try {
        lag = sub.lag();
      } catch (RuntimeException e) {
        lag = -1;
      }
    }
    CircuitBreakerState breakerState = breaker == null ? CircuitBreakerState.CLOSED : breaker.state();
    return new RunnerStatus(id, route.type(), state, breakerState, lag, delivered, rejected, retried,
        deadLettered, filtered, inFlight, lastError);
  }

  // ---- reading ----

  private void maybePoll() {
    if (polling || !pollWanted || stopping || paused || isParked() || subscription == null) return;
    int room = maxQueued - queued;
    long roomBytes = maxQueuedBytes - queuedBytes;
    if (room <= 0 || roomBytes <= 0) return; // dispatch() polls again once batches leave the queues
    if (holds.count() >= MAX_HELD_EVENTS || holds.bytes() >= MAX_HELD_BYTES) return; // until a hold ends
    pollWanted = false;
    polling = true;
    subscription.poll(room, roomBytes).onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        lastError = "log read failed: " + ar.cause();
        LOG.warn("destination {}: {}", id, lastError);
        vertx.setTimer(POLL_FAILURE_DELAY_MS, t -> {
          pollWanted = true;
          maybePoll();
        });
        return;
      }
      List<LogEntry> entries = ar.result();
      if (!entries.isEmpty()) {
        pollWanted = true; // there may be more right behind
        accept(entries);
      }
      dispatch();
    });
  }

  private void accept(List<LogEntry> entries) {
    long now = System.nanoTime();
    List<PendingEvent> transformFailures = null;
    for (LogEntry entry : entries) {
      offsets.read(entry.partition(), entry.offset());
      if (stopping) continue;
      Event event = entry.event();
      if (!route.filter().accepts(event, id, route.type())) {
        settleFiltered(entry);
        continue;
      }
      Event transformed;
      try {
        transformed = route.transform().apply(event);
      } catch (RuntimeException e) {
        PendingEvent failed = new PendingEvent(entry, event, now);
        failed.fail("transform failed: " + e, 0, null);
        if (transformFailures == null) transformFailures = new ArrayList<>();
        transformFailures.add(failed);
        continue;
      }
      if (transformed == null) {
        settleFiltered(entry);
        continue;
      }
      PendingEvent item = new PendingEvent(entry, transformed, now);
      if (holds.isHeld(transformed.partitionKey())) {
        holds.add(transformed.partitionKey(), item); // behind its key's throttled events
        continue;
      }
      Lane lane = laneFor(item);
      lane.queue.add(item);
      lane.queuedBytes += item.bytes;
      queued++;
      queuedBytes += item.bytes;
    }
    if (transformFailures != null) {
      List<PendingEvent> failed = transformFailures;
      writeDeadLetters(failed, i -> i.lastReason).onSuccess(v -> failed.forEach(this::settle));
    }
    scheduleCommit();
  }

  private void settleFiltered(LogEntry entry) {
    offsets.settle(entry.partition(), entry.offset());
    filtered++;
  }

  private Lane laneFor(PendingEvent item) {
    return laneFor(item.event.partitionKey());
  }

  private Lane laneFor(String partitionKey) {
    if (lanes.length == 1) return lanes[0];
    int h = partitionKey.hashCode();
    h ^= (h >>> 16);
    h *= 0x85ebca6b;
    h ^= (h >>> 13);
    return lanes[Math.floorMod(h, lanes.length)];
  }

  // ---- batching ----

  private void dispatch() {
    if (stopping) return;
    if (!paused && !isParked()) {
      long now = System.nanoTime();
      boolean bufferFull = queued >= maxQueued || queuedBytes >= maxQueuedBytes;
      for (Lane lane : lanes) {
        while (lane.hasRoom() && !lane.queue.isEmpty()
            && (bufferFull || lane.readyToCut(now, maxBatchEvents, maxBatchBytes, lingerNanos()))) {
          Batch batch = cut(lane);
          lane.active++;
          attempt(batch);
          if (paused || isParked()) break;
        }
      }
      scheduleLinger(now);
    }
    maybePoll();
  }

  private Batch cut(Lane lane) {
    List<PendingEvent> items = new ArrayList<>(Math.min(lane.queue.size(), maxBatchEvents));
    long bytes = 0;
    while (!lane.queue.isEmpty() && items.size() < maxBatchEvents) {
      PendingEvent next = lane.queue.peekFirst();
      if (!items.isEmpty() && bytes + next.bytes > maxBatchBytes) break;
      lane.queue.pollFirst();
      items.add(next);
      bytes += next.bytes;
    }
    lane.queuedBytes -= bytes;
    queued -= items.size();
    queuedBytes -= bytes;
    return new Batch(lane, items);
  }

  private void scheduleLinger(long now) {
    if (lingerTimer != -1) return;
    long earliest = Long.MAX_VALUE;
    for (Lane lane : lanes) {
      if (lane.hasRoom() && !lane.queue.isEmpty()) {
        earliest = Math.min(earliest, lane.queue.peekFirst().readAtNanos + lingerNanos());
      }
    }
    if (earliest == Long.MAX_VALUE) return;
    long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(earliest - now) + 1);
    lingerTimer = vertx.setTimer(delayMs, t -> {
      lingerTimer = -1;
      dispatch();
    });
  }

  private long lingerNanos() {
    return TimeUnit.MILLISECONDS.toNanos(policy.lingerMs());
  }

  // ---- sending ----

  private void attempt(Batch batch) {
    if (stopping) {
      return; // its events stay unsettled: the next start re-delivers them
    }
    CircuitBreakerState breakerState = breaker.state();
    boolean probe = breakerState == CircuitBreakerState.HALF_OPEN;
    if (paused || breakerState == CircuitBreakerState.OPEN || (probe && probeInFlight)) {
      waiting.add(batch);
      return;
    }
    long waitMs = TimeUnit.NANOSECONDS.toMillis(batch.notBeforeNanos - System.nanoTime());
    if (waitMs > 0) {
      // The destination asked for a pause (Retry-After) longer than the breaker's.
      retryTimers.put(batch, vertx.setTimer(waitMs, t -> {
        retryTimers.remove(batch);
        attempt(batch);
      }));
      return;
    }
    if (probe) probeInFlight = true;
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>(batch.items.size());
    for (PendingEvent item : batch.items) {
      item.attempts++;
      if (item.firstAttemptAt == null) item.firstAttemptAt = now;
      events.add(item.event);
    }
    inFlight++;
    pendingOps++;
    breaker.<SendResult>execute(() -> sendOnce(events)).onComplete(ar -> {
      inFlight--;
      if (probe) probeInFlight = false;
      try {
        handleResult(batch, ar);
      } finally {
        opDone();
      }
    });
  }

  /** One send; a Retry answer becomes a failed future so the breaker counts it. */
  private Future<SendResult> sendOnce(List<Event> events) {
    Future<SendResult> sent;
    try {
      sent = route.destination().send(events);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (sent == null) {
      return Future.failedFuture(new IllegalStateException("destination returned no future"));
    }
    return sent.compose(result -> {
      if (result == null) {
        return Future.failedFuture(new IllegalStateException("destination returned no result"));
      }
      if (countsAsFailure(result)) {
        return Future.failedFuture(new RetrySignal(result));
      }
      return Future.succeededFuture(result);
    });
  }

  /**
   * What the breaker counts as a failed send: a retry of the whole batch, a partial answer where
   * every event is to be retried, or any setup error. Key throttles are not failures: the
   * destination works, it only slows some users down.
   */
  private static boolean countsAsFailure(SendResult result) {
    if (result instanceof SendResult.Retry retry) return !retry.keyThrottled();
    if (result instanceof SendResult.Rejected rejected) return rejected.setupError();
    if (!(result instanceof SendResult.Partial partial) || partial.outcomes().isEmpty()) return false;
    boolean allRetry = true;
    boolean plainRetry = false;
    for (SendResult outcome : partial.outcomes()) {
      if (outcome instanceof SendResult.Rejected rejected && rejected.setupError()) return true;
      if (outcome instanceof SendResult.Retry retry) {
        plainRetry |= !retry.keyThrottled();
      } else {
        allRetry = false;
      }
    }
    return allRetry && plainRetry;
  }

  private void handleResult(Batch batch, AsyncResult<SendResult> ar) {
    SendResult result;
    if (ar.succeeded()) {
      result = ar.result();
    } else if (ar.cause() instanceof RetrySignal signal) {
      result = signal.result;
    } else if (ar.cause() instanceof OpenCircuitException) {
      // Not sent after all: give the attempt back and wait for the breaker.
      batch.items.forEach(i -> i.attempts--);
      waiting.add(batch);
      return;
    } else if (ar.cause() instanceof io.vertx.circuitbreaker.TimeoutException) {
      result = new SendResult.Retry("no answer within " + route.sendTimeout().toMillis() + " ms", null, 0);
    } else {
      result = new SendResult.Retry("send failed: " + describe(ar.cause()), null, 0);
    }

    BatchOutcome outcome = BatchOutcome.of(batch.items, result);
    List<PendingEvent> settledNow = outcome.delivered();
    List<PendingEvent> dead = new ArrayList<>(outcome.rejected());
    List<PendingEvent> again = new ArrayList<>(outcome.retry());
    List<PendingEvent> held = new ArrayList<>(outcome.held());
    rejected += dead.size();

    delivered += settledNow.size();
    settledNow.forEach(this::settle);
    if (!again.isEmpty() || !held.isEmpty()) {
      retried += again.size() + held.size();
      lastError = (again.isEmpty() ? held : again).get(0).lastReason;
      Instant now = Instant.now();
      moveExhausted(again, dead, now);
      moveExhausted(held, dead, now);
    } else if (!dead.isEmpty()) {
      lastError = dead.get(0).lastReason;
    }
    if (outcome.setupError() != null) setupError(outcome.setupError());
    List<PendingEvent> resend = held.isEmpty() && holds.isEmpty() ? again : holdBack(batch.items, held, again);

    Duration hint = outcome.retryAfter();
    Future<Void> deadDone = dead.isEmpty() ? Future.succeededFuture()
        : writeDeadLetters(dead, i -> i.lastReason).onSuccess(v -> dead.forEach(this::settle));
    deadDone.onComplete(done -> {
      if (done.failed()) {
        finish(batch); // only when stopping: the events stay unsettled
      } else if (resend.isEmpty()) {
        finish(batch);
      } else {
        batch.items = resend;
        scheduleRetry(batch, hint);
      }
    });
  }

  private void moveExhausted(List<PendingEvent> failed, List<PendingEvent> dead, Instant now) {
    for (PendingEvent item : List.copyOf(failed)) {
      if (exhausted(item, now)) {
        item.lastReason = "retries exhausted: " + item.lastReason;
        failed.remove(item);
        dead.add(item);
      }
    }
  }

  private boolean exhausted(PendingEvent item, Instant now) {
    if (policy.maxAttempts() > 0 && item.attempts >= policy.maxAttempts()) return true;
    return !item.original.receivedAt().plus(policy.maxAge()).isAfter(now);
  }

  private void scheduleRetry(Batch batch, Duration retryAfter) {
    if (stopping) {
      finish(batch);
      return;
    }
    batch.retries++;
    long delay = Backoff.millis(policy, batch.retries);
    if (retryAfter != null) {
      delay = Math.max(delay, Math.min(retryAfter.toMillis(), policy.maxAge().toMillis()));
    }
    batch.notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
    if (breaker.state() == CircuitBreakerState.OPEN) {
      waiting.add(batch); // the breaker's reset timeout is the wait now
      return;
    }
    long timer = vertx.setTimer(Math.max(1, delay), t -> {
      retryTimers.remove(batch);
      attempt(batch);
    });
    retryTimers.put(batch, timer);
  }

  /**
   * The destination says the setup is wrong (e.g. an invalid API key): every send would fail the
   * same way, so park at once instead of after {@code breakerFailures} batches, and say why.
   */
  private void setupError(String reason) {
    lastError = "setup error: " + reason;
    LOG.error("destination {}: {}; parking until a probe succeeds", id, lastError);
    if (breaker.state() == CircuitBreakerState.CLOSED) breaker.open();
  }

  // ---- key holds ----

  /**
   * Moves the throttled events into their key's hold, together with every other event of a held
   * key (those of this batch in batch order, then those queued in its lane) so the key's order is
   * kept; returns the events that still retry with the batch.
   */
  private List<PendingEvent> holdBack(List<PendingEvent> batchItems, List<PendingEvent> throttled,
      List<PendingEvent> again) {
    Map<String, Long> newKeys = new HashMap<>();
    for (PendingEvent item : throttled) {
      long holdMs = Math.min(item.holdFor.toMillis(), policy.maxAge().toMillis());
      newKeys.merge(item.event.partitionKey(), holdMs, Math::max);
    }
    Set<PendingEvent> failed = Collections.newSetFromMap(new IdentityHashMap<>());
    failed.addAll(throttled);
    failed.addAll(again);
    Map<String, List<PendingEvent>> toHold = new LinkedHashMap<>();
    List<PendingEvent> stillAgain = new ArrayList<>();
    for (PendingEvent item : batchItems) {
      if (!failed.contains(item)) continue;
      String key = item.event.partitionKey();
      if (newKeys.containsKey(key) || holds.isHeld(key)) {
        toHold.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
      } else {
        stillAgain.add(item);
      }
    }
    // Events of a newly held key already queued in its lane were read later: they go behind.
    Set<Lane> affected = Collections.newSetFromMap(new IdentityHashMap<>());
    for (String key : newKeys.keySet()) affected.add(laneFor(key));
    for (Lane lane : affected) {
      if (lane.queue.isEmpty()) continue;
      ArrayDeque<PendingEvent> kept = new ArrayDeque<>(lane.queue.size());
      for (PendingEvent item : lane.queue) {
        List<PendingEvent> target = newKeys.containsKey(item.event.partitionKey())
            ? toHold.computeIfAbsent(item.event.partitionKey(), k -> new ArrayList<>()) : null;
        if (target == null) {
          kept.add(item);
          continue;
        }
        target.add(item);
        lane.queuedBytes -= item.bytes;
        queued--;
        queuedBytes -= item.bytes;
      }
      lane.queue.clear();
      lane.queue.addAll(kept);
    }
    toHold.forEach((key, items) -> holds.hold(key, items, newKeys.getOrDefault(key, 0L)));
    return stillAgain;
  }

  /** A key's hold ended: its events go first in their lane, oldest first. */
  private void released(String key, List<PendingEvent> items) {
    if (stopping) return;
    Lane lane = laneFor(key);
    for (int i = items.size() - 1; i >= 0; i--) {
      PendingEvent item = items.get(i);
      lane.queue.addFirst(item);
      lane.queuedBytes += item.bytes;
      queued++;
      queuedBytes += item.bytes;
    }
    dispatch();
  }

  private void finish(Batch batch) {
    batch.lane.active--;
    dispatch();
  }

  // ---- settling ----

  private void settle(PendingEvent item) {
    offsets.settle(item.entry.partition(), item.entry.offset());
    scheduleCommit();
  }

  /**
   * Writes dead letters durably, retrying a failed write (with backoff) until it succeeds or the
   * runner stops; fails only in the latter case.
   */
  private Future<Void> writeDeadLetters(List<PendingEvent> items, java.util.function.Function<PendingEvent, String> reason) {
    Instant now = Instant.now();
    List<DeadLetter> letters = new ArrayList<>(items.size());
    for (PendingEvent item : items) {
      letters.add(DeadLetter.of(item.original, id, reason.apply(item), item.lastStatus,
          item.lastExcerpt, item.attempts, item.firstAttemptAt, now));
    }
    Promise<Void> written = Promise.promise();
    pendingOps++;
    writeWithRetry(letters, 1, written);
    return written.future().onComplete(ar -> opDone());
  }

  private void writeWithRetry(List<DeadLetter> letters, int attempt, Promise<Void> written) {
    deadLetters.append(letters).onComplete(ar -> {
      if (ar.succeeded()) {
        deadLettered += letters.size();
        written.complete();
      } else if (stopping) {
        written.fail(ar.cause());
      } else {
        lastError = "dead-letter write failed: " + describe(ar.cause());
        LOG.error("destination {}: {}; retrying", id, lastError);
        vertx.setTimer(Backoff.millis(policy, attempt), t -> writeWithRetry(letters, attempt + 1, written));
      }
    });
  }

  private void scheduleCommit() {
    if (commitTimer != -1 || stopping) return;
    commitTimer = vertx.setTimer(COMMIT_DELAY_MS, t -> {
      commitTimer = -1;
      commitNow().onFailure(e -> {
        LOG.warn("destination {}: commit failed: {}", id, e.toString());
        scheduleCommit();
      });
    });
  }

  /** Commits the settled prefix after any commit already under way. */
  private Future<Void> commitNow() {
    commitChain = commitChain.transform(previous -> {
      Map<Integer, Long> points = offsets.pendingCommits();
      if (points.isEmpty()) return Future.succeededFuture();
      return subscription.commit(points).onSuccess(v -> offsets.committed(points));
    });
    return commitChain;
  }

  // ---- breaker ----

  private boolean isParked() {
    return breaker != null && breaker.state() == CircuitBreakerState.OPEN;
  }

  private void breakerOpened() {
    LOG.warn("destination {}: circuit breaker open, parked for {} ms (last error: {})",
        id, policy.breakerReset().toMillis(), lastError);
    updateState();
    breakerObserver.handle(CircuitBreakerState.OPEN);
  }

  private void breakerHalfOpen() {
    updateState();
    breakerObserver.handle(CircuitBreakerState.HALF_OPEN);
    if (stopping) return;
    // One probe: a waiting batch if there is one, else the next batch dispatch cuts.
    if (!waiting.isEmpty()) {
      attempt(waiting.remove(0));
    }
    pollWanted = true;
    dispatch();
  }

  private void breakerClosed() {
    LOG.info("destination {}: circuit breaker closed, resuming", id);
    updateState();
    breakerObserver.handle(CircuitBreakerState.CLOSED);
    if (stopping) return;
    releaseWaiting();
    pollWanted = true;
    dispatch();
  }

  private void releaseWaiting() {
    List<Batch> ready = new ArrayList<>(waiting);
    waiting.clear();
    ready.forEach(this::attempt);
  }

  private void updateState() {
    if (state == RunnerStatus.State.STOPPED || state == RunnerStatus.State.STARTING) return;
    if (paused) {
      state = RunnerStatus.State.PAUSED;
    } else if (isParked()) {
      state = RunnerStatus.State.PARKED;
    } else {
      state = RunnerStatus.State.RUNNING;
    }
  }

  // ---- plumbing ----

  private void opDone() {
    pendingOps--;
    if (pendingOps == 0 && drained != null) drained.tryComplete();
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void cancelTimer(long timer) {
    if (timer != -1) vertx.cancelTimer(timer);
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** An answer the breaker counts as a failure (see {@link #countsAsFailure}), carried through it. */
  private static final class RetrySignal extends RuntimeException {
    final SendResult result;

    RetrySignal(SendResult result) {
      super(null, null, false, false);
      this.result = result;
    }
  }
}
