package dev.herald.bus.log.kafka;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.deadletter.DeadLetterRetention;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.deadletter.ReplayMark;
import dev.herald.bus.log.LogUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A destination's dead letters on Kafka: the topic {@code herald.dlq.<id>}, one partition (so the
 * letters of every node share one order and one id sequence), {@code retention.ms=-1} (kept until
 * an operator deals with them). A record's key is the event's messageId and its value the dead
 * letter's JSON without its id; the id is the record's offset + 1, so ids increase in write order
 * and are unique across nodes. An append completes once Kafka acknowledged it ({@code acks=all}).
 *
 * <p>Kafka records cannot change, so replay outcomes and deletions are marker records appended to
 * the same topic (header {@value #MARK_HEADER}: {@code replay} with the marks, or {@code delete} with
 * the ids): a listing first reads the markers it has not seen (every node sees every marker), then
 * the entries, showing each with its latest replay and leaving deleted ones out. Entries always
 * precede their markers, so the topic's retention ({@code retention.bytes}/{@code retention.ms}, set
 * from {@code deadLetters.maxBytes}/{@code maxAge} when Herald creates the topic) drops an entry
 * before its markers.
 */
final class KafkaDeadLetterStore implements DeadLetterStore {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetterStore.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final KafkaEventLog log;
  private final String destinationId;
  private final TopicPartition partition;
  static final String MARK_HEADER = "herald.mark";
  private static final int IDS_PER_MARKER = 5_000;

  private volatile long count;
  private volatile long dropped;
  /** Markers read so far (under this object's lock): the latest replay per id, the deleted ids. */
  private final Map<Long, ReplayMark> marks = new HashMap<>();
  private final Set<Long> deleted = new HashSet<>();
  private long markersReadTo;
  private long startSeen = -1;

  private KafkaDeadLetterStore(Vertx vertx, KafkaEventLog log, String destinationId) {
    this.vertx = vertx;
    this.log = log;
    this.destinationId = destinationId;
    this.partition = new TopicPartition(KafkaLogOptions.DEAD_LETTER_TOPIC_PREFIX + destinationId, 0);
  }

  static Future<KafkaDeadLetterStore> open(Vertx vertx, KafkaEventLog log, String destinationId,
      DeadLetterRetention retention) {
    String topic = KafkaLogOptions.DEAD_LETTER_TOPIC_PREFIX + destinationId;
    if (destinationId == null || !destinationId.matches("[A-Za-z0-9._-]+") || topic.length() > 249) {
      return Future.failedFuture(new IllegalArgumentException("destination id '" + destinationId
          + "' is not usable in a Kafka topic name ([A-Za-z0-9._-], at most 238 characters)"));
    }
    KafkaLogOptions options = log.options();
    KafkaTopics.Spec spec = new KafkaTopics.Spec(topic, 1, options.replicationFactor(),
        Map.of("cleanup.policy", "delete",
            "retention.ms", retention.maxAge() == null ? "-1" : Long.toString(retention.maxAge().toMillis()),
            "retention.bytes", retention.maxBytes() == 0 ? "-1" : Long.toString(retention.maxBytes())),
        options.createTopics(), "a dead-letter topic's partition count (always 1)",
        options.minInsyncReplicas());
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
    return query.page(this::scan);
  }

  @Override
  public Future<Void> markReplayed(List<ReplayMark> newMarks) {
    if (newMarks.isEmpty()) return Future.succeededFuture();
    return vertx.executeBlocking(() -> {
      for (int i = 0; i < newMarks.size(); i += IDS_PER_MARKER) {
        JsonArray batch = new JsonArray();
        newMarks.subList(i, Math.min(newMarks.size(), i + IDS_PER_MARKER)).forEach(m -> batch.add(m.toJson()));
        sendMarker("replay", new JsonObject().put("marks", batch));
      }
      synchronized (this) {
        newMarks.forEach(m -> marks.put(m.id(), m));
      }
      return null;
    }, false);
  }

  @Override
  public Future<Long> delete(DeadLetterQuery filter) {
    return vertx.executeBlocking(() -> {
      List<Long> ids = new ArrayList<>();
      scan(letter -> {
        if (filter.matches(letter)) ids.add(letter.id());
        return true;
      });
      for (int i = 0; i < ids.size(); i += IDS_PER_MARKER) {
        sendMarker("delete", new JsonObject().put("ids", new JsonArray(ids.subList(i, Math.min(ids.size(), i + IDS_PER_MARKER)))));
      }
      synchronized (this) {
        deleted.addAll(ids);
        count = Math.max(0, count - ids.size());
      }
      return (long) ids.size();
    }, false);
  }

  @Override
  public long dropped() {
    return dropped;
  }

  private void sendMarker(String kind, JsonObject value) throws Exception {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(partition.topic(), 0, null, value.toBuffer().getBytes());
    record.headers().add(MARK_HEADER, kind.getBytes(StandardCharsets.UTF_8));
    try {
      log.producer().send(record).get(log.options().appendTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new LogUnavailableException("Kafka did not take a dead-letter " + kind + " marker of " + destinationId
          + ": " + KafkaTopics.describe(e.getCause()), e.getCause());
    }
  }

  /**
   * Reads the markers not read yet, then hands each live entry (with its latest replay) to
   * {@code visit}, oldest first, until it answers false.
   */
  private synchronized void scan(Predicate<DeadLetter> visit) {
    try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClients.reader(log.options()))) {
      List<TopicPartition> only = List.of(partition);
      reader.assign(only);
      long end = reader.endOffsets(only, READ_TIMEOUT).get(partition);
      long start = reader.beginningOffsets(only, READ_TIMEOUT).get(partition);
      if (startSeen >= 0 && start > startSeen) {
        dropped += start - startSeen;
        LOG.warn("dead letters of {}: the topic's retention dropped {} records (entries and markers); {} since start",
            destinationId, start - startSeen, dropped);
      }
      startSeen = start;
      long[] live = {0};
      read(reader, Math.max(start, markersReadTo), end, record -> {
        applyMarker(record);
        return true;
      });
      markersReadTo = end;
      boolean[] more = {true};
      read(reader, start, end, record -> {
        if (record.headers().lastHeader(MARK_HEADER) != null) return true;
        DeadLetter letter = decode(record);
        if (letter == null || deleted.contains(letter.id())) return true;
        live[0]++;
        ReplayMark mark = marks.get(letter.id());
        if (more[0]) more[0] = visit.test(mark == null ? letter : letter.withReplay(mark));
        return true; // read on to count the live entries
      });
      count = live[0];
    }
  }

  private void read(KafkaConsumer<String, byte[]> reader, long from, long end,
      Predicate<ConsumerRecord<String, byte[]>> visit) {
    if (from >= end) return;
    reader.seek(partition, from);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (reader.position(partition) < end) {
      if (System.nanoTime() > deadline) {
        throw new LogUnavailableException("reading the dead letters of " + destinationId
            + " from Kafka took longer than " + READ_TIMEOUT.toSeconds() + " s");
      }
      for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
        if (record.offset() >= end || !visit.test(record)) return;
      }
    }
  }

  private void applyMarker(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader(MARK_HEADER);
    if (header == null) return;
    try {
      JsonObject value = new JsonObject(Buffer.buffer(record.value()));
      if ("delete".equals(new String(header.value(), StandardCharsets.UTF_8))) {
        value.getJsonArray("ids").forEach(id -> deleted.add(((Number) id).longValue()));
      } else {
        value.getJsonArray("marks").forEach(m -> {
          ReplayMark mark = ReplayMark.fromJson((JsonObject) m);
          marks.put(mark.id(), mark);
        });
      }
    } catch (RuntimeException e) {
      LOG.warn("dead-letter topic {} has an unreadable marker at offset {}; skipped", partition.topic(), record.offset());
    }
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
