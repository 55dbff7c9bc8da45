package dev.herald.bus.log.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.destination.api.Event;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Kafka log's own promises: record layout, topic checks, rebalance hand-over, pausing. */
@ExtendWith(VertxExtension.class)
class KafkaEventLogTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final String topic = "kafka-log-" + UUID.randomUUID();

  private KafkaLogOptions options(int partitions) {
    // A generous ack timeout: these tests are about semantics, and a busy machine can stall a new topic for seconds.
    return KafkaLogOptions.defaults(KAFKA.bootstrapServers()).withTopic(topic).withPartitions(partitions)
        .withAppendTimeout(Duration.ofSeconds(40));
  }

  @Test
  void recordsAreKeyedByPartitionKeyCarryHeadersAndAreCompressed(Vertx vertx) throws Exception {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options(3)));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String user = "user-" + (i % 6);
      JsonObject payload = new JsonObject().put("type", "track").put("event", "Order Completed")
          .put("userId", user).put("properties", new JsonObject().put("seq", i).put("sku", "SKU-0000" + i));
      events.add(new Event("m-" + i, i % 10 == 0 ? null : "track", i % 10 == 0 ? "raw-topic" : "analytics",
          "web", user, Instant.ofEpochMilli(1_700_000_000_123L + i), payload.toBuffer()));
    }
    await(log.append(events));

    Map<String, ConsumerRecord<String, byte[]>> byMessageId = readRaw(events.size());
    Map<String, Integer> partitionOfUser = new HashMap<>();
    for (Event event : events) {
      ConsumerRecord<String, byte[]> record = byMessageId.get(event.messageId());
      assertEquals(event.partitionKey(), record.key());
      assertEquals(event.payloadBytes().toString(), new String(record.value(), StandardCharsets.UTF_8));
      assertEquals("web", header(record, "herald.source"));
      assertEquals(event.topic(), header(record, "herald.topic"));
      assertEquals(event.type(), header(record, "herald.type"));
      assertEquals(Long.toString(event.receivedAt().toEpochMilli()), header(record, "herald.receivedAt"));
      Integer before = partitionOfUser.putIfAbsent(event.partitionKey(), record.partition());
      assertTrue(before == null || before == record.partition(), "a user's events share a partition");
    }
    assertNull(byMessageId.get("m-0").headers().lastHeader("herald.type"), "raw records have no type");
    double ratio = (double) log.producer().metrics().entrySet().stream()
        .filter(m -> m.getKey().name().equals("compression-rate-avg")).findFirst().orElseThrow()
        .getValue().metricValue();
    assertTrue(ratio > 0 && ratio < 0.9, "lz4 compresses the batches: ratio " + ratio);
    assertEquals(60, log.appendedEvents());
    await(log.close());
  }

  @Test
  void theTopicIsCreatedAsConfiguredAndAnExistingOneMustMatch(Vertx vertx) throws Exception {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options(3)));
    await(log.close());
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", KAFKA.bootstrapServers()));
    try {
      assertEquals(3, await(admin.describeTopics(List.of(topic))).get(topic).getPartitions().size());

      Throwable mismatch = awaitFailure(KafkaEventLog.open(vertx, options(5)));
      assertInstanceOf(IllegalStateException.class, mismatch);
      assertTrue(mismatch.getMessage().contains("exists with 3 partitions, but log.kafka.partitions is 5"),
          mismatch.getMessage());

      String absent = "absent-" + UUID.randomUUID();
      Throwable missing = awaitFailure(KafkaEventLog.open(vertx,
          options(3).withTopic(absent).withCreateTopics(false)));
      assertTrue(missing.getMessage().contains("'" + absent + "' does not exist and log.kafka.createTopics is false"),
          missing.getMessage());
      assertTrue(!await(admin.listTopics()).contains(absent), "nothing created");

      String compacted = "compacted-" + UUID.randomUUID();
      await(admin.createTopics(List.of(new NewTopic(compacted, 3, (short) 1)
          .setConfig(Map.of("cleanup.policy", "compact")))));
      Throwable compaction = awaitFailure(KafkaEventLog.open(vertx, options(3).withTopic(compacted)));
      assertTrue(compaction.getMessage().contains("cleanup.policy=compact"), compaction.getMessage());
    } finally {
      await(admin.close());
    }
  }

  @Test
  void everyInvalidSettingIsReportedAtOnce(Vertx vertx) throws Exception {
    KafkaLogOptions bad = new KafkaLogOptions(" ", "bad topic!", 0, (short) 0, true, "brotli", -1, 10,
        Duration.ofMillis(10), Duration.ofMillis(10), Map.of("acks", "1"));
    Throwable e = awaitFailure(KafkaEventLog.open(vertx, bad));
    assertInstanceOf(IllegalArgumentException.class, e);
    for (String key : List.of("bootstrapServers", "topic", "partitions", "replicationFactor", "compression",
        "lingerMs", "batchBytes", "appendTimeout", "sessionTimeout", "clientProperties.acks")) {
      assertTrue(e.getMessage().contains("log.kafka." + key), key + " missing in: " + e.getMessage());
    }
  }

  @Test
  void theOffsetsOfConsumersNoLongerConfiguredAreDroppedFromThisTopic(Vertx vertx) throws Exception {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options(1)));
    await(log.append(events("a", 20)));
    String kept = "kept-" + UUID.randomUUID();
    String removed = "removed-" + UUID.randomUUID();
    for (String consumer : List.of(kept, removed)) {
      LogSubscription subscription = await(log.subscribe(consumer));
      readAtLeast(subscription, 20);
      await(subscription.commit(Map.of(0, 20L)));
      await(subscription.close());
    }
    // groups of other tests' topics (another Herald on the same cluster) are not this log's
    assertEquals(Set.of(removed), await(log.retainCursors(Set.of(kept))));
    assertEquals(Map.of(), await(log.admin().listConsumerGroupOffsets(KafkaLogOptions.GROUP_PREFIX + removed)));
    assertEquals(1, await(log.admin().listConsumerGroupOffsets(KafkaLogOptions.GROUP_PREFIX + kept)).size());
    await(log.close());
  }

  @Test
  void whatTheRevocationHandlerCommitsIsWhereTheNextOwnerStarts(Vertx vertx) throws Exception {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options(4)));
    await(log.append(events("a", 200)));
    String consumer = "handover-" + UUID.randomUUID();
    LogSubscription first = await(log.subscribe(consumer));
    List<LogEntry> firstRead = new ArrayList<>(readAtLeast(first, 200));
    Set<Integer> revoked = ConcurrentHashMap.newKeySet();
    // Everything read so far counts as settled: the handler commits it while the partitions are still ours.
    first.onPartitionsRevoked(partitions -> {
      revoked.addAll(partitions);
      Map<Integer, Long> settled = new HashMap<>();
      for (LogEntry entry : firstRead) {
        if (partitions.contains(entry.partition())) {
          settled.merge(entry.partition(), entry.offset() + 1, Math::max);
        }
      }
      first.commit(settled);
    });

    LogSubscription second = await(log.subscribe(consumer));
    eventually("a rebalance moving partitions to the second consumer", () -> !revoked.isEmpty());
    await(log.append(events("b", 200)));
    List<LogEntry> secondRead = readAtLeast(second, 1);
    List<LogEntry> more = readAtLeast(first, 1);
    eventually("all 200 new events read by one of the two", () -> {
      secondRead.addAll(poll(second));
      more.addAll(poll(first));
      return secondRead.size() + more.size() >= 200;
    });
    Set<String> secondIds = secondRead.stream().map(e -> e.event().messageId()).collect(Collectors.toSet());
    assertTrue(secondIds.stream().allMatch(id -> id.startsWith("b-")),
        "the second consumer re-read nothing the first had settled: " + secondIds);
    assertTrue(secondRead.stream().allMatch(e -> revoked.contains(e.partition())));
    assertTrue(more.stream().noneMatch(e -> revoked.contains(e.partition())),
        "the first consumer gets nothing of the partitions it gave up");
    assertEquals(200, secondRead.size() + more.size(), "each new event read once");
    await(first.close());
    await(second.close());
    await(log.close());
  }

  @Test
  void withoutACommitTheNextOwnerReadsTheRevokedPartitionsAgainAndTheBufferIsDropped(Vertx vertx)
      throws Exception {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options(4)));
    await(log.append(events("a", 400)));
    String consumer = "no-commit-" + UUID.randomUUID();
    LogSubscription first = await(log.subscribe(consumer));
    List<LogEntry> taken = readAtLeast(first, 10); // the rest waits in the read-ahead buffer
    Set<Integer> revoked = ConcurrentHashMap.newKeySet();
    first.onPartitionsRevoked(revoked::addAll);

    LogSubscription second = await(log.subscribe(consumer));
    eventually("a rebalance", () -> !revoked.isEmpty());
    List<LogEntry> secondRead = new ArrayList<>();
    List<LogEntry> firstRest = new ArrayList<>();
    eventually("the second consumer reads the revoked partitions from their start", () -> {
      secondRead.addAll(poll(second));
      firstRest.addAll(poll(first));
      return secondRead.size() + firstRest.size() + taken.stream().filter(e -> !revoked.contains(e.partition())).count()
          >= 400;
    });
    assertTrue(firstRest.stream().noneMatch(e -> revoked.contains(e.partition())),
        "buffered entries of revoked partitions were dropped");
    Set<String> reread = secondRead.stream().map(e -> e.event().messageId()).collect(Collectors.toSet());
    assertTrue(taken.stream().filter(e -> revoked.contains(e.partition()))
        .allMatch(e -> reread.contains(e.event().messageId())), "uncommitted entries are read again by the next owner");
    Set<String> all = new HashSet<>();
    secondRead.forEach(e -> all.add(e.event().messageId()));
    firstRest.forEach(e -> all.add(e.event().messageId()));
    taken.forEach(e -> all.add(e.event().messageId()));
    assertEquals(400, all.size(), "nothing skipped");
    await(first.close());
    await(second.close());
    await(log.close());
  }

  @Test
  void aPausedSubscriptionFetchesNothingUntilResumed(Vertx vertx) throws Exception {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options(2)));
    LogSubscription subscription = await(log.subscribe("paused-" + UUID.randomUUID()));
    await(log.append(events("a", 10)));
    assertEquals(10, readAtLeast(subscription, 10).size());
    subscription.pause();
    eventually("the consumer pausing its partitions", ((KafkaSubscription) subscription)::fetchingPaused);
    await(log.append(events("b", 10)));
    long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    while (System.nanoTime() < quietUntil) {
      assertEquals(List.of(), poll(subscription), "nothing fetched while paused");
      Thread.sleep(50);
    }
    subscription.resume();
    assertEquals(10, readAtLeast(subscription, 10).size());
    assertTrue(!((KafkaSubscription) subscription).fetchingPaused());
    await(subscription.close());
    await(log.close());
  }

  // ---- helpers ----

  private Map<String, ConsumerRecord<String, byte[]>> readRaw(int count) {
    Map<String, Object> props = Map.of("bootstrap.servers", KAFKA.bootstrapServers(),
        "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", ByteArrayDeserializer.class.getName());
    Map<String, ConsumerRecord<String, byte[]>> byMessageId = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (byMessageId.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          byMessageId.put(header(record, "herald.messageId"), record);
        }
      }
    }
    assertEquals(count, byMessageId.size());
    return byMessageId;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static List<Event> events(String prefix, int count) {
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String user = prefix + "-user-" + (i % 23);
      JsonObject payload = new JsonObject().put("type", "track").put("event", "E").put("userId", user).put("seq", i);
      events.add(new Event(prefix + "-" + i, "track", "analytics", "web", user, Instant.now(), payload.toBuffer()));
    }
    return events;
  }

  static List<LogEntry> poll(LogSubscription subscription) {
    return await(subscription.poll(1000, Long.MAX_VALUE));
  }

  static List<LogEntry> readAtLeast(LogSubscription subscription, int count) {
    List<LogEntry> all = new ArrayList<>();
    eventually(count + " entries, got " + all.size(), () -> {
      all.addAll(poll(subscription));
      return all.size() >= count;
    });
    return all;
  }

  static void eventually(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail");
  }
}
