package dev.herald.bus.router;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.LogSubscription;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a runner's events end: settled (delivered, filtered or dead-lettered) and committed. It owns
 * the offset tracker, so the cursor only commits the prefix below which every event is settled; the
 * commit schedule and chain (one commit at a time); durable dead-letter writes, retried until they
 * succeed; and the partitions' epochs: when the log hands partitions to another consumer, events
 * read before belong to their next owner and are never settled here. Used on the runner's event
 * loop only.
 */
final class Settlement {

  private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);
  private static final long COMMIT_DELAY_MS = 100;

  private final Vertx vertx;
  private final String id;
  private final DeliveryPolicy policy;
  private final DeadLetterStore deadLetters;
  private final RunnerStats stats;
  private final DeliveryObserver observer;
  private final OffsetTracker offsets = new OffsetTracker();
  /** Bumped when a partition is revoked: events read before belong to its next owner. */
  private final Map<Integer, Integer> partitionEpochs = new HashMap<>();
  private LogSubscription subscription;
  private long commitTimer = -1;
  private Future<Void> commitChain = Future.succeededFuture();
  private boolean stopping;

  Settlement(Vertx vertx, String id, DeliveryPolicy policy, DeadLetterStore deadLetters, RunnerStats stats,
      DeliveryObserver observer) {
    this.observer = observer == null ? DeliveryObserver.NONE : observer;
    this.vertx = vertx;
    this.id = id;
    this.policy = policy;
    this.deadLetters = deadLetters;
    this.stats = stats;
  }

  /** The subscription commits go to (none until the runner has subscribed). */
  void commitTo(LogSubscription subscription) {
    this.subscription = subscription;
  }

  /** An event was read: it is unsettled until {@link #settle}d. Returns its partition's epoch. */
  int read(int partition, long offset) {
    return read(partition, offset, 0);
  }

  /** {@link #read(int, long)}, knowing when the event was received (epoch millis) for the lag in time. */
  int read(int partition, long offset, long receivedAtMillis) {
    offsets.read(partition, offset, receivedAtMillis);
    long oldest = stats.oldestUnsettledMillis();
    if (receivedAtMillis > 0 && (oldest == 0 || receivedAtMillis < oldest)) stats.oldestUnsettledMillis(receivedAtMillis);
    return epochOf(partition);
  }

  DeliveryObserver observer() {
    return observer;
  }

  /** The destination accepted these events. */
  void delivered(List<PendingEvent> items) {
    long now = System.currentTimeMillis(); // the trace's time of the answer, once for the batch
    boolean settled = false;
    boolean oldestSettled = false;
    for (PendingEvent item : items) {
      observer.delivered(id, item.original.messageId(), item.request, item.attempts, now);
      if (item.replay != null) {
        item.replay.delivered(item.attempts); // a replayed dead letter is not in the log
      } else if (!revoked(item)) {
        settled = true;
        oldestSettled |= release(item.entry.partition(), item.entry.offset());
      }
    }
    // The oldest unsettled event is looked for once per batch, not once per event settled in order.
    if (oldestSettled) stats.oldestUnsettledMillis(offsets.oldestReceivedAtMillis());
    if (settled) scheduleCommit();
  }

  /** These events are sent again after {@code delayMs}. */
  void retrying(List<PendingEvent> items, long delayMs) {
    Instant next = Instant.now().plusMillis(delayMs);
    for (PendingEvent item : items) {
      observer.retrying(id, item.original.messageId(), item.request, item.attempts, item.lastReason, item.lastStatus, next);
    }
  }

  /** These events wait while the destination throttles their key (each for its own hold). */
  void held(List<PendingEvent> items) {
    Instant now = Instant.now();
    for (PendingEvent item : items) {
      observer.retrying(id, item.original.messageId(), item.request, item.attempts, item.lastReason, item.lastStatus,
          item.holdFor == null ? now : now.plus(item.holdFor));
    }
  }

  void settle(PendingEvent item) {
    if (item.replay != null) {
      item.replay.delivered(item.attempts); // a replayed dead letter is not in the log
      return;
    }
    if (revoked(item)) return;
    settle(item.entry.partition(), item.entry.offset());
  }

  void settle(int partition, long offset) {
    if (release(partition, offset)) stats.oldestUnsettledMillis(offsets.oldestReceivedAtMillis());
    scheduleCommit();
  }

  /**
   * Settles the offset; true when that may have moved the oldest unsettled event: only settling the
   * oldest does, and then the caller looks for the next (one entry per partition).
   */
  private boolean release(int partition, long offset) {
    long receivedAt = offsets.settle(partition, offset);
    return receivedAt > 0 && receivedAt <= stats.oldestUnsettledMillis();
  }

  /** Whether any partition was ever revoked (never on the embedded log): else nothing is revoked. */
  boolean anyRevoked() {
    return !partitionEpochs.isEmpty();
  }

  /** The event's partition moved to another consumer since it was read. */
  boolean revoked(PendingEvent item) {
    return item.epoch != epochOf(item.entry.partition());
  }

  private int epochOf(int partition) {
    if (partitionEpochs.isEmpty()) return 0;
    return partitionEpochs.getOrDefault(partition, 0);
  }

  /**
   * Writes dead letters durably (each with its last failure's reason), retrying a failed write with
   * backoff, then settles them. Fails only if the runner stops first: the events stay unsettled.
   */
  Future<Void> deadLetter(List<PendingEvent> items) {
    Instant now = Instant.now();
    List<DeadLetter> letters = new ArrayList<>(items.size());
    List<PendingEvent> fromLog = new ArrayList<>(items.size());
    for (PendingEvent item : items) {
      if (item.replay != null) {
        // A replayed dead letter failing again stays the one dead letter it is: its replay records the outcome.
        item.replay.failed(item.lastReason, item.lastStatus, item.attempts);
        observed(item);
        continue;
      }
      fromLog.add(item);
      letters.add(DeadLetter.of(item.original, id, item.lastReason, item.lastStatus,
          item.lastExcerpt, item.attempts, item.firstAttemptAt, now));
    }
    if (letters.isEmpty()) return Future.succeededFuture();
    Promise<Void> written = Promise.promise();
    writeWithRetry(letters, 1, written);
    return written.future().onSuccess(v -> fromLog.forEach(item -> {
      observed(item);
      settle(item);
    }));
  }

  private void observed(PendingEvent dead) {
    observer.deadLettered(id, dead.original.messageId(), dead.request, dead.attempts, dead.lastReason, dead.lastStatus);
  }

  private void writeWithRetry(List<DeadLetter> letters, int attempt, Promise<Void> written) {
    deadLetters.append(letters).onComplete(ar -> {
      if (ar.succeeded()) {
        stats.deadLettered(letters.size());
        written.complete();
      } else if (stopping) {
        written.fail(ar.cause());
      } else {
        stats.lastError("dead-letter write failed: " + BreakerGate.describe(ar.cause()));
        LOG.error("destination {}: {}; retrying", id, stats.lastError());
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
  Future<Void> commitNow() {
    if (subscription == null) return Future.succeededFuture();
    commitChain = commitChain.transform(previous -> {
      Map<Integer, Long> points = offsets.pendingCommits();
      if (points.isEmpty()) return Future.succeededFuture();
      return subscription.commit(points).onSuccess(v -> offsets.committed(points));
    });
    return commitChain;
  }

  /** The last commit at stop: never fails (what it could not commit is re-delivered). */
  Future<Void> finalCommit() {
    return commitNow().recover(e -> {
      LOG.warn("destination {}: final commit failed: {}", id, e.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * The log is handing these partitions to another consumer: commit their settled prefix while
   * they are still ours and forget them; their events in flight or waiting are now {@link #revoked}.
   * Returns the committed points.
   */
  Map<Integer, Long> revoke(Set<Integer> partitions) {
    Map<Integer, Long> points = offsets.pendingCommits();
    points.keySet().retainAll(partitions);
    if (!points.isEmpty() && subscription != null) {
      subscription.commit(points).onFailure(e ->
          LOG.warn("destination {}: commit of revoked partitions {} failed: {}", id, points, e.toString()));
    }
    offsets.forget(partitions);
    stats.oldestUnsettledMillis(offsets.oldestReceivedAtMillis());
    for (Integer partition : partitions) partitionEpochs.merge(partition, 1, Integer::sum);
    return points;
  }

  /** Events read and not yet settled (tests). */
  int unsettled() {
    return offsets.unsettledCount();
  }

  /** No more commit scheduling nor dead-letter retries; a final {@link #commitNow} still commits. */
  void stop() {
    stopping = true;
    if (commitTimer != -1) vertx.cancelTimer(commitTimer);
    commitTimer = -1;
  }
}
