package dev.herald.bus.log.embedded;

import dev.herald.bus.deadletter.DeadLetterRetention;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.deadletter.FileDeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.PausedDestinations;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The one-node event log: append-only segment files under {@code <dir>/segments}, written by a
 * single group-commit thread, read by {@link LogSubscription}s from their own file positions, with
 * one cursor file per consumer under {@code <dir>/cursors} and one dead-letter file per destination
 * under {@code <dir>/dead-letters}. Offsets are global and contiguous in
 * partition 0. Recovery at open truncates a torn or corrupt tail; retention deletes whole closed
 * segments once every consumer has passed them, or earlier when a size or age bound forces it, in
 * which case the lagging consumers' losses are logged and counted.
 *
 * <p>{@link #append} completes on the caller's context once the events are durable (fsynced
 * under {@code ALWAYS}; written under {@code INTERVAL}); it fails with {@link
 * LogUnavailableException} on I/O errors, after {@link #close}, or when more than 64 MB of appends
 * already wait, and with {@link IllegalArgumentException} for an event over 16 MB. The stored
 * {@code receivedAt} keeps millisecond precision.
 */
public final class EmbeddedEventLog implements EventLog {

  static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;

  private final Vertx vertx;
  private final EmbeddedLogOptions options;
  private final ConcurrentSkipListMap<Long, Segment> segments;
  private final CursorStore cursors;
  private PausedDestinations paused; // set by recover(), before the log is handed out
  private final GroupCommitWriter writer;
  private final DurableEndPublisher durable;
  private final Retention retention;
  private final RetentionSchedule retentionSchedule;
  private final ConsumerLosses losses;
  private final Set<EmbeddedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private volatile Future<Void> closing;

  private EmbeddedEventLog(Vertx vertx, EmbeddedLogOptions options, Context notifyContext,
      LogRecovery.Recovered recovered, CursorStore cursors, long maxPendingBytes)
      throws IOException {
    this.vertx = vertx;
    this.options = options;
    Path segmentsDir = options.dir().resolve("segments");
    this.segments = recovered.segments();
    this.cursors = cursors;
    Segment newest = segments.lastEntry().getValue();
    this.durable = new DurableEndPublisher(vertx, notifyContext,
        new DurableEnd(recovered.endOffset(), newest.baseOffset, newest.sizeBytes));
    this.retention = new Retention(options, segmentsDir, segments, cursors);
    this.retentionSchedule =
        new RetentionSchedule(vertx, retention, segmentsDir, () -> durable.current().offset());
    this.losses = new ConsumerLosses(retention);
    this.writer = new GroupCommitWriter(segmentsDir, segments, recovered.endOffset(), options,
        maxPendingBytes, new WriterListener());
  }

  /**
   * Opens (creating if needed) the log in {@code options.dir()}: recovers the segment files and
   * cursors off the event loop, then starts the writer.
   */
  public static Future<EmbeddedEventLog> open(Vertx vertx, EmbeddedLogOptions options) {
    return open(vertx, options, MAX_PENDING_BYTES);
  }

  /** As {@link #open(Vertx, EmbeddedLogOptions)}, with another bound of queued append bytes. */
  static Future<EmbeddedEventLog> open(Vertx vertx, EmbeddedLogOptions options,
      long maxPendingBytes) {
    String problem = options == null ? "log options are required" : options.problem();
    if (problem != null) {
      return Future.failedFuture(new IllegalArgumentException(problem));
    }
    Context context = vertx.getOrCreateContext();
    return context.executeBlocking(() -> recover(vertx, context, options, maxPendingBytes))
        .map(log -> {
          log.start();
          return log;
        });
  }

  private static EmbeddedEventLog recover(Vertx vertx, Context context,
      EmbeddedLogOptions options, long maxPendingBytes) throws IOException {
    Files.createDirectories(options.dir());
    LogRecovery.Recovered recovered = LogRecovery.recover(options.dir().resolve("segments"));
    CursorStore cursors = CursorStore.load(options.dir().resolve("cursors"));
    EmbeddedEventLog log =
        new EmbeddedEventLog(vertx, options, context, recovered, cursors, maxPendingBytes);
    CursorReconciliation.clampToLog(cursors, log.retention, log.startOffset(), log.endOffset());
    log.paused = PausedDestinations.load(options.dir().resolve("cursors"));
    return log;
  }

  private void start() {
    writer.start();
    retentionSchedule.start();
  }

  @Override
  public Future<Void> append(List<Event> events) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    return writer.submit(events, vertx.getOrCreateContext());
  }

  @Override
  public Future<LogSubscription> subscribe(String consumerId) {
    if (consumerId == null || consumerId.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("a consumer id is required"));
    }
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    return vertx.executeBlocking(() -> {
      long start = startOffset();
      long committed = cursors.createIfAbsent(consumerId, start);
      EmbeddedSubscription subscription =
          new EmbeddedSubscription(this, vertx, consumerId, Math.max(committed, start));
      subscriptions.add(subscription);
      return subscription;
    }, false);
  }

  /** The NDJSON dead-letter file of {@code destinationId} under {@code <dir>/dead-letters}. */
  @Override
  public Future<DeadLetterStore> openDeadLetters(String destinationId) {
    return openDeadLetters(destinationId, DeadLetterRetention.UNBOUNDED);
  }

  @Override
  public Future<DeadLetterStore> openDeadLetters(String destinationId, DeadLetterRetention retention) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    return FileDeadLetterStore.open(vertx, options.deadLetterDir(), destinationId, retention).map(store -> store);
  }

  @Override
  public Future<Void> close() {
    Future<Void> current = closing;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      closed = true;
      retentionSchedule.stopTimer();
      Context context = vertx.getOrCreateContext();
      Promise<Void> result = Promise.promise();
      writer.close().onComplete(stopped -> context.runOnContext(v -> context.executeBlocking(() -> {
        for (EmbeddedSubscription subscription : subscriptions) {
          subscription.closeReader();
        }
        retentionSchedule.shutdown();
        return null;
      }).onComplete(released -> {
        if (stopped.failed()) {
          result.fail(stopped.cause());
        } else if (released.failed()) {
          result.fail(released.cause());
        } else {
          result.complete();
        }
      })));
      closing = result.future();
      return closing;
    }
  }

  /** The offset the next appended event gets; everything below it is durable. */
  public long endOffset() {
    return durable.current().offset();
  }

  /** Where readers stop: the last published durable end. */
  DurableEnd durableEnd() {
    return durable.current();
  }

  /** The oldest offset still stored. */
  public long startOffset() {
    return segments.firstKey();
  }

  /** How many times the writer forced a segment file to disk. */
  public long fsyncCount() {
    return writer.fsyncCount();
  }

  /** How many append calls were made durable. */
  public long appendCount() {
    return writer.appendCount();
  }

  /** Events each consumer lost because retention deleted them before it committed them. */
  @Override
  public Map<String, Long> retentionLosses() {
    return losses.retentionLosses();
  }

  /** Events each consumer skipped because their records were damaged, since the log opened. */
  @Override
  public Map<String, Long> damageLosses() {
    return losses.damageLosses();
  }

  /** What {@code consumerId} lost for good since the log opened. */
  public LogLosses losses(String consumerId) {
    return losses.of(consumerId);
  }

  /** Every consumer's committed next offset. */
  public Map<String, Long> committedOffsets() {
    return cursors.snapshot();
  }

  /** Deletes the cursor files of consumers not in {@code consumerIds} and without a subscription. */
  @Override
  public Future<Set<String>> retainCursors(Set<String> consumerIds) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    Set<String> keep = Set.copyOf(consumerIds);
    return vertx.executeBlocking(() -> {
      Set<String> kept = new HashSet<>(keep);
      subscriptions.forEach(s -> kept.add(s.consumerId()));
      Set<String> dropped = CursorReconciliation.dropAllBut(cursors, kept);
      if (!dropped.isEmpty()) {
        retentionSchedule.request();
      }
      return dropped;
    }, false);
  }

  /** Stores a cursor at the durable end for a consumer that has none. */
  @Override
  public Future<Boolean> startAtEnd(String consumerId) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    return vertx.executeBlocking(() -> {
      if (cursors.get(consumerId) != null) {
        return false;
      }
      long end = endOffset();
      return cursors.createIfAbsent(consumerId, end) == end;
    }, false);
  }

  /** Paused destinations: a marker beside each one's cursor. */
  @Override
  public PausedDestinations pausedDestinations() {
    return paused;
  }

  /** Forgets a consumer (a removed destination) so its cursor no longer holds back retention. */
  public Future<Void> removeConsumer(String consumerId) {
    return vertx.executeBlocking(() -> {
      cursors.remove(consumerId);
      paused.set(consumerId, false);
      return null;
    }, false);
  }

  /** Runs a retention pass now (it also runs periodically and after each roll-over). */
  public Future<Void> enforceRetention() {
    return retentionSchedule.runNow(vertx.getOrCreateContext());
  }

  // for subscriptions

  ChannelOpener channels() {
    return options.channels();
  }

  CursorStore cursors() {
    return cursors;
  }

  void recordDamage(String consumerId, long lost) {
    losses.recordDamage(consumerId, lost);
  }

  /** The segment after the one based at {@code baseOffset}, or null. */
  Segment segmentAfter(long baseOffset) {
    Map.Entry<Long, Segment> entry = segments.higherEntry(baseOffset);
    return entry == null ? null : entry.getValue();
  }

  Segment segmentAt(long baseOffset) {
    return segments.get(baseOffset);
  }

  Segment segmentContaining(long offset) {
    Map.Entry<Long, Segment> entry = segments.floorEntry(offset);
    return entry == null ? null : entry.getValue();
  }

  void forget(EmbeddedSubscription subscription) {
    subscriptions.remove(subscription);
  }

  /** Test hook: makes the writer's file fail as a broken disk would. */
  void breakActiveSegmentForTest() throws IOException {
    writer.closeActiveChannelForTest();
  }

  /** Test hook: segment base offsets currently stored. */
  List<Long> segmentBaseOffsetsForTest() {
    return List.copyOf(new TreeMap<>(segments).keySet());
  }

  private final class WriterListener implements GroupCommitWriter.Listener {
    @Override
    public void durable(DurableEnd end) {
      durable.advance(end);
    }

    @Override
    public void rolled() {
      retentionSchedule.request();
    }
  }
}
