package dev.herald.bus.log.kafka;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
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
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
  private static final long REVOKE_WAIT_MS = 10_000;
  private static final int HIGH_WATER_RECORDS = 10_000;
  private static final long HIGH_WATER_BYTES = 16L * 1024 * 1024;

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
  private final ConcurrentLinkedQueue<CommitRequest> commits = new ConcurrentLinkedQueue<>();
  /** Consumer thread only: requests to retry once a rebalance under way completes. */
  private final List<CommitRequest> deferredCommits = new ArrayList<>();

  private final Object bufferLock = new Object();
  private final ArrayDeque<LogEntry> buffer = new ArrayDeque<>();
  private long bufferedBytes;

  private volatile Handler<Void> availableHandler;
  private volatile Context availableContext;
  private final AtomicBoolean notifyScheduled = new AtomicBoolean();
  private volatile Handler<Set<Integer>> revokedHandler;
  private volatile Context revokedContext;

  private volatile boolean pausedBySubscriber;
  /** Consumer thread only: whether the assigned partitions are paused, and why. */
  private boolean pausedForRoom;
  private volatile boolean pauseApplied;

  private volatile boolean closing;
  private volatile Context closeContext;
  private final Promise<Void> closed = Promise.promise();
  private volatile long lag;
  private long foreignRecords;
  /** A test seam: thrown by the consumer thread's next turn, as a bug or a broken client would. */
  private volatile RuntimeException injectedFailure;

  private record CommitRequest(Map<Integer, Long> offsets, Consumer<Throwable> done) {}

  KafkaSubscription(KafkaEventLog log, Vertx vertx, String consumerId, String topic,
      KafkaConsumer<String, byte[]> consumer, Supplier<KafkaConsumer<String, byte[]>> newConsumer) {
    this.log = log;
    this.vertx = vertx;
    this.consumerId = consumerId;
    this.topic = topic;
    this.consumer = consumer;
    this.newConsumer = newConsumer;
    this.positions = new KafkaPositions(log, consumerId);
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
    return pauseApplied;
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
    List<LogEntry> taken;
    synchronized (bufferLock) {
      if (buffer.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      taken = new ArrayList<>(Math.min(maxRecords, buffer.size()));
      long bytes = 0;
      while (taken.size() < maxRecords && !buffer.isEmpty()) {
        LogEntry next = buffer.peekFirst();
        if (!taken.isEmpty() && bytes + next.sizeBytes() > maxBytes) {
          break;
        }
        taken.add(buffer.pollFirst());
        bytes += next.sizeBytes();
      }
      bufferedBytes -= bytes;
    }
    return Future.succeededFuture(taken);
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
    commits.add(new CommitRequest(Map.copyOf(nextOffsets), failure -> context.runOnContext(v -> {
      if (failure == null) {
        promise.complete();
      } else {
        promise.fail(failure);
      }
    })));
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
    revokedContext = vertx.getOrCreateContext();
    revokedHandler = handler;
  }

  @Override
  public void pause() {
    pausedBySubscriber = true;
  }

  @Override
  public void resume() {
    pausedBySubscriber = false;
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
    closeContext = context;
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
    int deaths = 0;
    long lastDeath = System.nanoTime();
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
          deaths = System.nanoTime() - lastDeath > TimeUnit.MINUTES.toNanos(5) ? 1 : deaths + 1;
          lastDeath = System.nanoTime();
          long backoff = Math.min(30_000, 1000L << Math.min(5, deaths - 1));
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
    consumer.subscribe(List.of(topic), new Rebalance());
    while (!closing) {
      runCommits();
      applyPause();
      RuntimeException injected = injectedFailure;
      if (injected != null) {
        injectedFailure = null;
        throw injected;
      }
      try {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
          add(records);
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
    pauseApplied = false; // the next consumer starts unpaused
    pausedForRoom = false;
  }

  private void shutDown() {
    try {
      if (consumer != null) {
        runCommits(); // the subscriber's final commit
        consumer.close(Duration.ofSeconds(5)); // leaves the group: its partitions move at once
      }
    } catch (RuntimeException e) {
      LOG.warn("destination {}: closing the Kafka consumer: {}", consumerId, e.toString());
    }
    CommitRequest left;
    while ((left = commits.poll()) != null) {
      deferredCommits.add(left);
    }
    for (CommitRequest unfinished : deferredCommits) {
      unfinished.done().accept(new IllegalStateException("subscription " + consumerId + " is closed"));
    }
    deferredCommits.clear();
    closed.tryComplete();
  }

  private void add(ConsumerRecords<String, byte[]> records) {
    List<LogEntry> entries = new ArrayList<>(records.count());
    long bytes = 0;
    for (ConsumerRecord<String, byte[]> record : records) {
      Event event = KafkaRecords.toEvent(record);
      if (event == null) {
        if (foreignRecords++ % 1000 == 0) {
          LOG.warn("destination {}: skipping record {}-{}@{}: it lacks Herald's headers (written by another producer?); {} so far",
              consumerId, record.topic(), record.partition(), record.offset(), foreignRecords);
        }
        continue;
      }
      entries.add(new LogEntry(record.partition(), record.offset(), event, record.value().length));
      bytes += record.value().length;
    }
    synchronized (bufferLock) {
      buffer.addAll(entries);
      bufferedBytes += bytes;
    }
    if (!entries.isEmpty()) {
      notifyAvailable();
    }
  }

  private void applyPause() {
    int records;
    long bytes;
    synchronized (bufferLock) {
      records = buffer.size();
      bytes = bufferedBytes;
    }
    if (records >= HIGH_WATER_RECORDS || bytes >= HIGH_WATER_BYTES) {
      pausedForRoom = true;
    } else if (records <= HIGH_WATER_RECORDS / 2 && bytes <= HIGH_WATER_BYTES / 2) {
      pausedForRoom = false;
    }
    boolean pause = pausedForRoom || pausedBySubscriber;
    if (pause != pauseApplied) {
      if (pause) {
        consumer.pause(consumer.assignment());
      } else {
        consumer.resume(consumer.assignment());
      }
      pauseApplied = pause;
    }
  }

  /** Performs the commits requested so far, for the partitions this consumer still owns. */
  private void runCommits() {
    if (commits.isEmpty() && deferredCommits.isEmpty()) {
      return;
    }
    List<CommitRequest> batch = new ArrayList<>(deferredCommits);
    deferredCommits.clear();
    CommitRequest request;
    while ((request = commits.poll()) != null) {
      batch.add(request);
    }
    Map<Integer, Long> latest = new HashMap<>();
    for (CommitRequest each : batch) {
      latest.putAll(each.offsets()); // requests only move forward: the last one wins
    }
    Set<TopicPartition> owned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    latest.forEach((partition, offset) -> {
      TopicPartition tp = new TopicPartition(topic, partition);
      if (owned.contains(tp)) {
        offsets.put(tp, new OffsetAndMetadata(offset));
      }
    });
    Throwable failure = null;
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets, COMMIT_TIMEOUT);
      } catch (RebalanceInProgressException e) {
        deferredCommits.addAll(batch); // the next poll completes the rebalance; then they go again
        return;
      } catch (InterruptException e) {
        throw e;
      } catch (KafkaException e) {
        failure = new LogUnavailableException("Kafka commit of " + latest + " for " + consumerId
            + " failed: " + KafkaTopics.describe(e), e);
      }
    }
    for (CommitRequest done : batch) {
      done.done().accept(failure);
    }
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

  private void dropBuffered(Set<Integer> partitions) {
    synchronized (bufferLock) {
      for (Iterator<LogEntry> it = buffer.iterator(); it.hasNext(); ) {
        LogEntry entry = it.next();
        if (partitions.contains(entry.partition())) {
          it.remove();
          bufferedBytes -= entry.sizeBytes();
        }
      }
    }
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

  private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
    Set<Integer> numbers = new HashSet<>();
    for (TopicPartition tp : partitions) {
      numbers.add(tp.partition());
    }
    return numbers;
  }

  /** Runs on the consumer thread, inside {@code poll} (or {@code close}). */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      handOver(partitions, true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      handOver(partitions, false); // no longer ours: nothing can be committed for them
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      LOG.info("destination {}: assigned partitions {}", consumerId, numbers(partitions));
      try {
        positions.assigned(consumer, partitions);
      } catch (KafkaException e) {
        // the poll loop's handlers position them instead
        LOG.warn("destination {}: could not look up committed offsets of {}: {}", consumerId,
            numbers(partitions), e.toString());
      }
      if (pauseApplied) {
        consumer.pause(partitions);
      }
    }

    private void handOver(Collection<TopicPartition> partitions, boolean stillOwned) {
      if (partitions.isEmpty()) {
        return;
      }
      Set<Integer> numbers = numbers(partitions);
      dropBuffered(numbers);
      Handler<Set<Integer>> handler = revokedHandler;
      Context context = revokedContext;
      if (!closing && handler != null && context != null) {
        CountDownLatch handled = new CountDownLatch(1);
        context.runOnContext(v -> {
          try {
            handler.handle(numbers);
          } finally {
            handled.countDown();
          }
        });
        try {
          if (!handled.await(REVOKE_WAIT_MS, TimeUnit.MILLISECONDS)) {
            LOG.warn("destination {}: revocation of {} not handled within {} ms; handing them over anyway",
                consumerId, numbers, REVOKE_WAIT_MS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (stillOwned) {
        runCommits();
      }
      LOG.info("destination {}: partitions {} {}", consumerId, numbers, stillOwned ? "revoked" : "lost");
    }
  }
}
