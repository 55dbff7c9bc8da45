package dev.herald.bus.log.kafka;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.LogUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A destination's dead letters on Kafka: the topic {@code herald.dlq.<id>}, one partition (so the
 * letters of every node share one order and one id sequence), {@code retention.ms=-1} (kept until
 * an operator deals with them). A record's key is the event's messageId and its value the dead
 * letter's JSON without its id; the id is the record's offset + 1, so ids increase in write order
 * and are unique across nodes. An append completes once Kafka acknowledged it ({@code acks=all}).
 */
final class KafkaDeadLetterStore implements DeadLetterStore {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetterStore.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final KafkaEventLog log;
  private final String destinationId;
  private final TopicPartition partition;
  private volatile long count;

  private KafkaDeadLetterStore(Vertx vertx, KafkaEventLog log, String destinationId) {
    this.vertx = vertx;
    this.log = log;
    this.destinationId = destinationId;
    this.partition = new TopicPartition(KafkaLogOptions.DEAD_LETTER_TOPIC_PREFIX + destinationId, 0);
  }

  static Future<KafkaDeadLetterStore> open(Vertx vertx, KafkaEventLog log, String destinationId) {
    String topic = KafkaLogOptions.DEAD_LETTER_TOPIC_PREFIX + destinationId;
    if (destinationId == null || !destinationId.matches("[A-Za-z0-9._-]+") || topic.length() > 249) {
      return Future.failedFuture(new IllegalArgumentException("destination id '" + destinationId
          + "' is not usable in a Kafka topic name ([A-Za-z0-9._-], at most 238 characters)"));
    }
    KafkaLogOptions options = log.options();
    KafkaTopics.Spec spec = new KafkaTopics.Spec(topic, 1, options.replicationFactor(),
        Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1"),
        options.createTopics(), "a dead-letter topic's partition count (always 1)");
    KafkaDeadLetterStore store = new KafkaDeadLetterStore(vertx, log, destinationId);
    return KafkaTopics.ensure(log.admin(), spec, options.bootstrapServers())
        .compose(v -> store.list(DeadLetterQuery.firstPage().withLimit(1)))
        .map(ignored -> store);
  }

  @Override
  public String destinationId() {
    return destinationId;
  }

  /** As of the last append or listing on this node. */
  @Override
  public long count() {
    return count;
  }

  @Override
  public Future<List<DeadLetter>> append(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return vertx.executeBlocking(() -> appendBlocking(letters), false);
  }

  private List<DeadLetter> appendBlocking(List<DeadLetter> letters) throws Exception {
    List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>(letters.size());
    for (DeadLetter letter : letters) {
      JsonObject value = letter.toJson();
      value.remove("id");
      acks.add(log.producer().send(new ProducerRecord<>(partition.topic(), 0, letter.messageId(),
          value.toBuffer().getBytes())));
    }
    List<DeadLetter> stored = new ArrayList<>(letters.size());
    long timeoutMs = log.options().appendTimeout().toMillis() + 1000;
    for (int i = 0; i < letters.size(); i++) {
      RecordMetadata metadata;
      try {
        metadata = acks.get(i).get(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new LogUnavailableException("Kafka did not take the dead letters of " + destinationId
            + ": " + KafkaTopics.describe(e.getCause()), e.getCause());
      }
      JsonObject json = letters.get(i).toJson().put("id", metadata.offset() + 1);
      stored.add(DeadLetter.fromJson(json));
    }
    count += letters.size();
    return stored;
  }

  @Override
  public Future<List<DeadLetter>> list(DeadLetterQuery query) {
    return vertx.executeBlocking(() -> listBlocking(query), false);
  }

  private List<DeadLetter> listBlocking(DeadLetterQuery query) {
    List<DeadLetter> page = new ArrayList<>(Math.min(query.limit(), 64));
    try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClients.reader(log.options()))) {
      List<TopicPartition> only = List.of(partition);
      reader.assign(only);
      long end = reader.endOffsets(only, READ_TIMEOUT).get(partition);
      reader.seekToBeginning(only);
      long start = reader.position(partition, READ_TIMEOUT);
      count = end - start;
      int toSkip = query.offset();
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (reader.position(partition) < end && page.size() < query.limit()) {
        if (System.nanoTime() > deadline) {
          throw new LogUnavailableException("reading the dead letters of " + destinationId
              + " from Kafka took longer than " + READ_TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
          if (record.offset() >= end || page.size() >= query.limit()) {
            break;
          }
          DeadLetter letter = decode(record);
          if (letter == null || !query.matches(letter)) {
            continue;
          }
          if (toSkip > 0) {
            toSkip--;
            continue;
          }
          page.add(letter);
        }
      }
    }
    return page;
  }

  private DeadLetter decode(ConsumerRecord<String, byte[]> record) {
    try {
      JsonObject json = new JsonObject(Buffer.buffer(record.value()));
      return DeadLetter.fromJson(json.put("id", record.offset() + 1));
    } catch (RuntimeException e) {
      LOG.warn("dead-letter topic {} has an unreadable record at offset {}; skipped", partition.topic(),
          record.offset());
      return null;
    }
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture(); // the producer belongs to the log
  }
}
