package dev.herald.bus.log.kafka;

import dev.herald.bus.deadletter.DeadLetterRetention;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.bus.log.PausedDestinations;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log on Apache Kafka, for several Herald nodes sharing ingest and delivery. Events go to
 * one topic (default {@code herald.events}), keyed by their partition key, through an idempotent
 * {@code acks=all} producer; {@link #append} completes only once Kafka acknowledged every event
 * of the call, and fails with {@link LogUnavailableException} when it did not within the append
 * timeout — after which appends fail at once (one probe at a time goes through) until Kafka
 * acknowledges again. Each destination reads through its own consumer group
 * {@code herald.dest.<id>} ({@link KafkaSubscription}); its dead letters go to the topic
 * {@code herald.dlq.<id>} ({@link #openDeadLetters}).
 *
 * <p>Topic administration uses the Vert.x Kafka client's {@link KafkaAdminClient}. The producer
 * and the consumers are the Kafka clients it ships, driven directly: an append hands all its
 * records to the producer in one step on a sender thread (rather than one event-loop round trip
 * per record), and a consumer's rebalance callback must run synchronously on its polling thread to
 * commit the settled prefix before its partitions move.
 */
public final class KafkaEventLog implements EventLog {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLog.class);
  private static final long LAG_REFRESH_MS = 5_000;

  private final Vertx vertx;
  private final KafkaLogOptions options;
  private volatile PausedDestinations paused = PausedDestinations.inMemory();
  private final KafkaAdminClient admin;
  private final Producer<String, byte[]> producer;
  private final ExecutorService sender;
  /** Used on the sender thread only. */
  private final KafkaRecordEncoder encoder;
  private final AvailabilityGate gate;
  private final Set<KafkaSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final KafkaLosses losses = new KafkaLosses();
  private final KafkaCursors cursors;
  private final KafkaLags lags;
  private final AtomicLong appendedEvents = new AtomicLong();
  /** Payload bytes handed to the producer and not yet acknowledged or failed. */
  private final AtomicLong pendingBytes = new AtomicLong();
  private final long lagTimer;
  private volatile boolean closed;
  private volatile Future<Void> closing;

  private KafkaEventLog(Vertx vertx, KafkaLogOptions options, KafkaAdminClient admin,
      Producer<String, byte[]> producer) {
    this.vertx = vertx;
    this.options = options;
    this.admin = admin;
    this.producer = producer;
    this.gate = new AvailabilityGate(options.bootstrapServers());
    this.encoder = new KafkaRecordEncoder(options.topic());
    this.cursors = new KafkaCursors(admin, options.topic(), options.partitions());
    this.lags = new KafkaLags(admin, options.topic(), options.partitions());
    this.sender = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "herald-kafka-sender");
      thread.setDaemon(true);
      return thread;
    });
    this.lagTimer = vertx.setPeriodic(LAG_REFRESH_MS, id -> refreshLags());
  }

  /**
   * Connects to the cluster, makes sure the events topic exists as configured (creating it when
   * absent and allowed), and starts the producer. Fails with every problem of the options, with
   * a clear message when the topic exists with other settings, and with {@link
   * LogUnavailableException} when the cluster cannot be reached.
   */
  public static Future<KafkaEventLog> open(Vertx vertx, KafkaLogOptions options) {
    return open(vertx, options, null);
  }

  /**
   * As {@link #open(Vertx, KafkaLogOptions)}, keeping which destinations an operator paused in
   * {@code stateDir} on this node's disk (null: in memory only). A pause is this node's: other
   * nodes sharing the destination's consumer group go on reading until paused themselves.
   */
  public static Future<KafkaEventLog> open(Vertx vertx, KafkaLogOptions options, java.nio.file.Path stateDir) {
    return vertx.executeBlocking(() -> stateDir == null ? PausedDestinations.inMemory() : PausedDestinations.load(stateDir), false)
        .compose(paused -> openLog(vertx, options).onSuccess(log -> log.paused = paused));
  }

  private static Future<KafkaEventLog> openLog(Vertx vertx, KafkaLogOptions options) {
    List<String> problems = options.problems();
    if (!problems.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(String.join("; ", problems)));
    }
    return vertx.executeBlocking(() -> KafkaAdminClient.create(vertx, KafkaClients.admin(options)), false)
        .compose(admin -> KafkaTopics.ensure(admin, eventsTopic(options), options.bootstrapServers())
            .compose(v -> KafkaTopics.warnIfFragile(admin, options.topic()))
            .compose(v -> vertx.executeBlocking(
                () -> (Producer<String, byte[]>) new KafkaProducer<String, byte[]>(KafkaClients.producer(options)),
                false))
            .map(producer -> new KafkaEventLog(vertx, options, admin, producer))
            .onFailure(e -> admin.close()))
        .onSuccess(log -> LOG.info("Kafka event log on topic {} ({} partitions) at {}, {} compression",
            options.topic(), options.partitions(), options.bootstrapServers(), options.compression()));
  }

  private static KafkaTopics.Spec eventsTopic(KafkaLogOptions options) {
    return new KafkaTopics.Spec(options.topic(), options.partitions(), options.replicationFactor(),
        Map.of("cleanup.policy", "delete"), options.createTopics(), "log.kafka.partitions",
        options.minInsyncReplicas());
  }

  @Override
  public PausedDestinations pausedDestinations() {
    return paused;
  }

  public KafkaLogOptions options() {
    return options;
  }

  @Override
  public Future<Void> append(List<Event> events) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    long bytes = 0;
    for (Event event : events) {
      bytes += event.payloadBytes().length();
    }
    long size = bytes;
    // Kafka slow but not failing would otherwise queue appends in memory without limit.
    if (pendingBytes.addAndGet(size) > options.maxPendingBytes()) {
      pendingBytes.addAndGet(-size);
      return Future.failedFuture(new LogUnavailableException("Kafka at " + options.bootstrapServers()
          + " has not yet acknowledged the appends before (" + pendingBytes.get() + " bytes; "
          + "log.kafka.maxPendingBytes is " + options.maxPendingBytes() + ")"));
    }
    AvailabilityGate.Ticket ticket = gate.admit();
    if (ticket == null) {
      pendingBytes.addAndGet(-size);
      return Future.failedFuture(new LogUnavailableException(
          "Kafka at " + options.bootstrapServers() + " is not acknowledging appends (" + gate.lastProblem() + ")"));
    }
    Context context = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    AppendAcks acks = new AppendAcks(events.size(), failure -> {
      pendingBytes.addAndGet(-size);
      context.runOnContext(v -> {
        gate.done(ticket, failure);
        if (failure == null) {
          appendedEvents.addAndGet(events.size());
          promise.complete();
        } else {
          promise.fail(new LogUnavailableException("Kafka did not acknowledge " + events.size()
              + " events: " + KafkaTopics.describe(failure), failure));
        }
      });
    });
    try {
      sender.execute(() -> send(events, acks));
    } catch (RejectedExecutionException e) {
      pendingBytes.addAndGet(-size);
      gate.release(ticket);
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    return promise.future();
  }

  private void send(List<Event> events, AppendAcks acks) {
    int sent = 0;
    try {
      for (Event event : events) {
        producer.send(encoder.toRecord(event), acks);
        sent++;
      }
    } catch (RuntimeException e) {
      // Not handed to the producer (buffer full for max.block.ms, closed, …): those fail the append.
      acks.failUnsent(events.size() - sent, e);
    }
  }

  @Override
  public Future<LogSubscription> subscribe(String consumerId) {
    if (consumerId == null || consumerId.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("a consumer id is required"));
    }
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    String group = KafkaLogOptions.GROUP_PREFIX + consumerId;
    return vertx.executeBlocking(() -> {
      KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(options, group));
      KafkaSubscription subscription = new KafkaSubscription(this, vertx, consumerId, options.topic(),
          consumer, () -> new KafkaConsumer<>(KafkaClients.consumer(options, group)));
      subscriptions.add(subscription);
      subscription.start();
      return (LogSubscription) subscription;
    }, false).onSuccess(s -> refreshLags());
  }

  /**
   * Opens the dead-letter store of a destination: the topic {@code herald.dlq.<id>} (one
   * partition, kept until deleted), created when absent and allowed.
   */
  @Override
  public Future<DeadLetterStore> openDeadLetters(String destinationId) {
    return openDeadLetters(destinationId, DeadLetterRetention.UNBOUNDED);
  }

  /** As {@link #openDeadLetters(String)}; {@code retention} sets the topic's retention when Herald creates it. */
  @Override
  public Future<DeadLetterStore> openDeadLetters(String destinationId, DeadLetterRetention retention) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    return KafkaDeadLetterStore.open(vertx, this, destinationId, retention).map(store -> store);
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
      vertx.cancelTimer(lagTimer);
      Future<Void> subscriptionsClosed = Future.join(subscriptions.stream()
          .map(KafkaSubscription::close).toList()).mapEmpty();
      closing = subscriptionsClosed.transform(v -> vertx.executeBlocking(() -> {
        sender.shutdown();
        sender.awaitTermination(options.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        producer.close(options.appendTimeout()); // waits for (or fails) the appends still out
        return null;
      }, false)).transform(v -> admin.close().transform(ignored -> v.succeeded()
          ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(v.cause())));
      return closing;
    }
  }

  /**
   * Deletes this log topic's committed offsets of every {@code herald.dest.<id>} group whose id is
   * not in {@code consumerIds} (only this topic's: another Herald may share the cluster). A group
   * that still has members reading the topic keeps its offsets (logged).
   */
  @Override
  public Future<Set<String>> retainCursors(Set<String> consumerIds) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    return cursors.retain(Set.copyOf(consumerIds));
  }

  /**
   * Commits the topic's current end offsets for the group {@code herald.dest.<id>} when it has no
   * offsets on this topic (a group without members: the destination is not running yet).
   */
  @Override
  public Future<Boolean> startAtEnd(String consumerId) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the event log is closed"));
    }
    return cursors.startAtEnd(consumerId);
  }

  /** Whether Kafka acknowledges appends (false after an unacknowledged append, until a probe succeeds). */
  public boolean available() {
    return gate.available();
  }

  /** Events acknowledged by Kafka through this log. */
  public long appendedEvents() {
    return appendedEvents.get();
  }

  /** Events each consumer lost because retention deleted them before it delivered them (this node's view). */
  @Override
  public Map<String, Long> retentionLosses() {
    return losses.retentionLosses();
  }

  // ---- for the subscriptions and dead-letter stores ----

  Vertx vertx() {
    return vertx;
  }

  KafkaAdminClient admin() {
    return admin;
  }

  Producer<String, byte[]> producer() {
    return producer;
  }

  void recordLoss(String consumerId, long lost) {
    losses.recordRetention(consumerId, lost);
  }

  void recordReset(String consumerId, long lost) {
    losses.recordReset(consumerId, lost);
  }

  /** What {@code consumerId} lost on this node. */
  LogLosses losses(String consumerId) {
    return losses.of(consumerId);
  }

  void forget(KafkaSubscription subscription) {
    subscriptions.remove(subscription);
  }

  /** Group-wide lag of every open subscription: events in the topic its group has not committed. */
  private void refreshLags() {
    if (subscriptions.isEmpty() || closed) {
      return;
    }
    lags.refresh(subscriptions);
  }
}
