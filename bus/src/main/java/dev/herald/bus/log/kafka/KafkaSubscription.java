package dev.herald.bus.log.kafka;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's membership in its consumer group {@code herald.dest.<id>}. A thread of its own
 * drives the Kafka consumer (which is single-threaded by design): it fetches into a bounded
 * read-ahead buffer that {@link #poll} drains without waiting, pauses the partitions while the
 * buffer is full or the subscriber asked to {@link #pause}, and performs the commits the
 * subscriber requests. Offsets are only ever committed by {@link #commit}, never automatically.
 *
 * <p>When the group takes partitions away, the consumer thread drops their buffered entries,
 * runs the subscriber's revocation handler on the subscriber's context and waits for it, then
 * commits what that handler committed — all before the partitions are handed over, so their next
 * owner resumes right after the last settled event. A partition assigned to a group without a
 * committed offset starts at the log's start; one whose committed offset is no longer in the log
 * is repositioned by {@link KafkaPositions}, the loss logged and counted.
 *
 * <p>A consumer thread whose poll loop throws does not stall the destination: the next {@link
 * #poll} fails once with the cause (the runner shows it as its last error), the dead consumer
 * leaves the group (its partitions handed over as on any revocation) and a new one joins after a
 * back-off, reading on from the last commit.
 */
final class KafkaSubscription implements LogSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscription.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

  private final KafkaEventLog log;
  private final Vertx vertx;
  private final String consumerId;
  private final String topic;
  /** The current consumer, replaced when one dies; touched by the consumer thread only. */
  private KafkaConsumer<String, byte[]> consumer;
  private final Supplier<KafkaConsumer<String, byte[]>> newConsumer;
  private final KafkaPositions positions;
  /** Why the consumer last died, until a {@link #poll} reported it to the subscriber. */
  private final AtomicReference<Throwable> death = new AtomicReference<>();
  private final Thread thread;
  private final ReadAheadBuffer buffer;
  private final CommitQueue commits;
  private final RewindQueue rewinds = new RewindQueue();
  private final FetchPause pause = new FetchPause();
  private final SubscriberRevocation revocation;

  private volatile Handler<Void> availableHandler;
  private volatile Context availableContext;
  private final AtomicBoolean notifyScheduled = new AtomicBoolean();

  private volatile boolean closing;
  private final Promise<Void> closed = Promise.promise();
  private volatile long lag;
  /** A test seam: thrown by the consumer thread's next turn, as a bug or a broken client would. */
  private volatile RuntimeException injectedFailure;

  KafkaSubscription(KafkaEventLog log, Vertx vertx, String consumerId, String topic,
      KafkaConsumer<String, byte[]> consumer, Supplier<KafkaConsumer<String, byte[]>> newConsumer) {
    this.log = log;
    this.vertx = vertx;
    this.consumerId = consumerId;
    this.topic = topic;
    this.consumer = consumer;
    this.newConsumer = newConsumer;
    this.positions = new KafkaPositions(log, consumerId);
    this.buffer = new ReadAheadBuffer(consumerId);
    this.commits = new CommitQueue(consumerId, topic);
    this.revocation = new SubscriberRevocation(consumerId);
    this.thread = new Thread(this::run, "herald-kafka-" + consumerId);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** For tests: the consumer thread's next turn throws {@code failure} out of its poll loop. */
  void failNextPoll(RuntimeException failure) {
    injectedFailure = failure;
  }

  String consumerId() {
    return consumerId;
  }

  void lag(long value) {
    lag = value;
  }

  /** Whether the consumer has paused its partitions (for the subscriber, or while the buffer is full). */
  boolean fetchingPaused() {
    return pause.applied();
  }

  @Override
  public Future<List<LogEntry>> poll(int maxRecords, long maxBytes) {
    if (closing) {
      return Future.failedFuture(new IllegalStateException("subscription " + consumerId + " is closed"));
    }
    if (maxRecords <= 0 || maxBytes <= 0) {
      return Future.failedFuture(new IllegalArgumentException(
          "maxRecords and maxBytes must be positive, not " + maxRecords + " and " + maxBytes));
    }
    Throwable died = death.getAndSet(null);
    if (died != null) {
      // Once, so that the runner shows it (lastError) while the consumer thread starts a new one.
      return Future.failedFuture(new LogUnavailableException("the Kafka consumer of destination "
          + consumerId + " died (" + KafkaTopics.describe(died) + "); it is being restarted", died));
    }
    // Until the consumer thread has applied a rewind, the buffer may hold entries read before it.
    if (rewinds.pending()) {
      return Future.succeededFuture(List.of());
    }
    return Future.succeededFuture(buffer.take(maxRecords, maxBytes));
  }

  @Override
  public boolean canRewind() {
    return true;
  }

  /**
   * Queued for the consumer thread, which drops the partition's buffered entries and seeks it; polls
   * return nothing until then, so no entry read before the rewind is returned after it.
   */
  @Override
  public void rewind(int partition, long offset) {
    rewinds.request(partition, offset);
  }

  @Override
  public Future<Void> commit(Map<Integer, Long> nextOffsets) {
    for (Map.Entry<Integer, Long> point : nextOffsets.entrySet()) {
      if (point.getKey() == null || point.getKey() < 0 || point.getValue() == null || point.getValue() < 0) {
        return Future.failedFuture(new IllegalArgumentException("invalid commit point " + point));
      }
    }
    if (nextOffsets.isEmpty()) {
      return Future.succeededFuture();
    }
    if (closing && !thread.isAlive()) {
      return Future.failedFuture(new IllegalStateException("subscription " + consumerId + " is closed"));
    }
    Context context = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    commits.request(nextOffsets, failure -> context.runOnContext(v -> {
      if (failure == null) {
        promise.complete();
      } else {
        promise.fail(failure);
      }
    }));
    return promise.future();
  }

  @Override
  public void onAvailable(Handler<Void> handler) {
    availableContext = vertx.getOrCreateContext();
    availableHandler = handler;
    notifyAvailable(); // entries may already be waiting
  }

  @Override
  public void onPartitionsRevoked(Handler<Set<Integer>> handler) {
    revocation.handler(handler, vertx.getOrCreateContext());
  }

  @Override
  public void pause() {
    pause.bySubscriber(true);
  }

  @Override
  public void resume() {
    pause.bySubscriber(false);
  }

  /** What this node saw the consumer lose (retention, offsets beyond the log's end). */
  @Override
  public LogLosses losses() {
    return log.losses(consumerId);
  }

  /** Group-wide: events in the topic the group has not committed, as of the last refresh. */
  @Override
  public long lag() {
    return lag;
  }

  @Override
  public Future<Void> close() {
    Context context = vertx.getOrCreateContext();
    closing = true;
    availableHandler = null;
    log.forget(this);
    if (!thread.isAlive() && !closed.future().isComplete()) {
      // never started
      closed.tryComplete();
    }
    Promise<Void> result = Promise.promise();
    closed.future().onComplete(ar -> context.runOnContext(v -> result.handle(ar)));
    return result.future();
  }

  // ---- the consumer thread ----

  /** Consumes until closed; a consumer that dies is closed (its partitions handed over) and replaced. */
  private void run() {
    RestartBackoff restarts = new RestartBackoff();
    try {
      while (!closing) {
        try {
          if (consumer == null) {
            consumer = newConsumer.get(); // a failure here is a death too: retried after the back-off
          }
          consume();
        } catch (RuntimeException | Error e) {
          if (closing) {
            break;
          }
          long backoff = restarts.afterDeath();
          death.set(e);
          LOG.error("destination {}: the Kafka consumer died; starting a new one in {} ms, which reads on "
              + "from the last commit", consumerId, backoff, e);
          closeQuietly();
          sleepUnlessClosing(backoff);
        }
      }
    } finally {
      shutDown();
    }
  }

  private void consume() {
    consumer.subscribe(List.of(topic),
        new KafkaRebalance(consumerId, consumer, positions, buffer, revocation, commits, pause, () -> closing));
    while (!closing) {
      commits.run(consumer);
      if (rewinds.apply(consumer, topic, buffer)) {
        notifyAvailable();
      }
      pause.apply(consumer, buffer.fill());
      RuntimeException injected = injectedFailure;
      if (injected != null) {
        injectedFailure = null;
        throw injected;
      }
      try {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty() && buffer.add(records)) {
          notifyAvailable();
        }
      } catch (OffsetOutOfRangeException e) {
        positions.outOfRange(consumer, e.offsetOutOfRangePartitions());
      } catch (NoOffsetForPartitionException e) {
        consumer.seekToBeginning(e.partitions());
      } catch (InterruptException e) {
        throw e;
      } catch (KafkaException e) {
        LOG.warn("destination {}: Kafka consumer error, retrying in 1 s: {}", consumerId, e.toString());
        sleepUnlessClosing(1000);
      }
    }
  }

  /** Leaves the group after a death: the revocation hands the partitions over as usual. */
  private void closeQuietly() {
    try {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
      }
    } catch (RuntimeException | Error e) {
      LOG.warn("destination {}: closing the dead Kafka consumer: {}", consumerId, e.toString());
    }
    consumer = null;
    pause.reset(); // the next consumer starts unpaused
  }

  private void shutDown() {
    try {
      if (consumer != null) {
        commits.run(consumer); // the subscriber's final commit
        consumer.close(Duration.ofSeconds(5)); // leaves the group: its partitions move at once
      }
    } catch (RuntimeException e) {
      LOG.warn("destination {}: closing the Kafka consumer: {}", consumerId, e.toString());
    }
    commits.failAll(new IllegalStateException("subscription " + consumerId + " is closed"));
    closed.tryComplete();
  }

  private void notifyAvailable() {
    Context context = availableContext;
    if (context == null || availableHandler == null || !notifyScheduled.compareAndSet(false, true)) {
      return;
    }
    context.runOnContext(v -> {
      notifyScheduled.set(false);
      Handler<Void> handler = availableHandler;
      if (handler != null && !closing) {
        handler.handle(null);
      }
    });
  }

  private void sleepUnlessClosing(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      while (!closing && System.nanoTime() < deadline) {
        Thread.sleep(Math.min(100, millis)); // the consumer thread's own back-off after an error
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
