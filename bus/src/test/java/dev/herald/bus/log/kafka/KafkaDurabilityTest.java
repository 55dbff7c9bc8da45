package dev.herald.bus.log.kafka;

import static dev.herald.bus.log.kafka.KafkaEventLogTest.await;
import static dev.herald.bus.log.kafka.KafkaEventLogTest.events;
import static dev.herald.bus.log.kafka.KafkaEventLogTest.readAtLeast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogTestSupport.CapturedLog;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.admin.ConfigEntry;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.common.ConfigResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What keeps acknowledged events through Kafka's own faults: replicas an acknowledgement waits
 * for, a bounded append queue, committed offsets the log no longer has, a consumer thread that dies.
 */
@ExtendWith(VertxExtension.class)
class KafkaDurabilityTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final String topic = "durability-" + UUID.randomUUID();

  private KafkaLogOptions options() {
    return KafkaLogOptions.defaults(KAFKA.bootstrapServers()).withTopic(topic).withPartitions(1)
        .withAppendTimeout(Duration.ofSeconds(40));
  }

  @Test
  void aCreatedTopicWaitsForMinOfTwoAndItsReplicasAndASingleReplicaIsWarnedAbout(Vertx vertx) {
    KafkaEventLog log;
    try (CapturedLog captured = new CapturedLog(KafkaTopics.class)) {
      log = await(KafkaEventLog.open(vertx, options()));
      List<String> warnings = captured.warnings().stream().filter(w -> w.contains(topic)).toList();
      assertEquals(1, warnings.size(), "one warning about the topic: " + captured.warnings());
      assertTrue(warnings.get(0).contains("replication factor 1"), warnings.get(0));
    }
    ConfigEntry minIsr = topicConfig(log.admin(), topic, "min.insync.replicas");
    assertEquals("1", minIsr.getValue(), "min(2, replication factor 1)");
    assertFalse(minIsr.isDefault(), "set on the topic, not the broker's default: " + minIsr);
    await(log.close());
  }

  @Test
  void anExistingTopicThatCannotKeepEventsThroughABrokerLossIsNamedWithEveryReason(Vertx vertx) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", KAFKA.bootstrapServers()));
    await(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).setConfig(Map.of(
        "min.insync.replicas", "1", "unclean.leader.election.enable", "true")))));
    await(admin.close());
    try (CapturedLog captured = new CapturedLog(KafkaTopics.class)) {
      KafkaEventLog log = await(KafkaEventLog.open(vertx, options()));
      List<String> warnings = captured.warnings().stream().filter(w -> w.contains(topic)).toList();
      assertEquals(1, warnings.size(), "one warning line: " + captured.warnings());
      String warning = warnings.get(0);
      for (String reason : List.of("replication factor 1", "min.insync.replicas 1", "unclean.leader.election.enable=true",
          "can lose acknowledged events when a broker is lost")) {
        assertTrue(warning.contains(reason), reason + " missing in: " + warning);
      }
      await(log.close());
    }
  }

  @Test
  void appendsBeyondThePendingBoundAreRefusedWhileKafkaIsSlowAndTakenAgainAfterwards(Vertx vertx) {
    List<Event> firstEvents = events("first", 40);
    long size = firstEvents.stream().mapToLong(e -> e.payloadBytes().length()).sum();
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options().withMaxPendingBytes(size * 5 / 2)));
    await(log.append(events("warm", 5))); // metadata known: appends below queue in the producer
    Future<Void> first;
    Future<Void> second;
    Throwable refused;
    KAFKA.broker().freeze();
    try {
      first = log.append(firstEvents);
      second = log.append(events("second", 40));
      Future<Void> third = log.append(events("third", 40));
      assertTrue(third.failed(), "refused at once, not queued");
      refused = third.cause();
      assertFalse(first.isComplete() || second.isComplete(), "Kafka acknowledged nothing while frozen");
    } finally {
      KAFKA.broker().unfreeze();
    }
    assertInstanceOf(LogUnavailableException.class, refused);
    assertTrue(refused.getMessage().contains("log.kafka.maxPendingBytes"), refused.getMessage());
    await(first);
    await(second);
    await(log.append(events("after", 40)));
    await(log.close());
  }

  @Test
  void aCommittedOffsetBeyondTheLogEndIsACountedLossAndReadingRestartsAtTheLogStart(Vertx vertx) {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options()));
    await(log.append(events("new", 10)));
    String consumerId = "beyond-" + UUID.randomUUID();
    // What the group kept of a topic deleted and created again (or of a leader elected uncleanly).
    Map<String, Object> props = KafkaClients.consumer(options(), KafkaLogOptions.GROUP_PREFIX + consumerId);
    try (KafkaConsumer<String, byte[]> stale = new KafkaConsumer<>(props)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      stale.assign(List.of(tp));
      stale.commitSync(Map.of(tp, new OffsetAndMetadata(1000)));
    }
    try (CapturedLog captured = new CapturedLog(KafkaPositions.class)) {
      LogSubscription subscription = await(log.subscribe(consumerId));
      List<LogEntry> read = readAtLeast(subscription, 10);
      assertEquals(0, read.get(0).offset(), "the events now in the log are all read");
      assertEquals(new LogLosses(0, 0, 990), subscription.losses());
      String warning = String.join("\n", captured.warnings());
      for (String part : List.of(topic + "-0", "1000", "10")) {
        assertTrue(warning.contains(part), part + " missing in: " + warning);
      }
      await(subscription.close());
    }
    await(log.close());
  }

  @Test
  void aTopicDeletedAndCreatedAgainUnderARunningConsumerIsReadFromItsNewStart(Vertx vertx) {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options()));
    await(log.append(events("old", 20)));
    LogSubscription subscription = await(log.subscribe("recreated-" + UUID.randomUUID()));
    readAtLeast(subscription, 20);
    await(subscription.commit(Map.of(0, 20L)));

    await(log.admin().deleteTopics(List.of(topic)));
    KafkaEventLogTest.eventually("the topic gone", () -> !await(log.admin().listTopics()).contains(topic));
    KafkaEventLog again = await(KafkaEventLog.open(vertx, options())); // creates it anew, empty
    await(again.append(events("new", 5)));

    List<LogEntry> read = readAtLeast(subscription, 5);
    assertEquals(List.of("new-0", "new-1", "new-2", "new-3", "new-4"),
        read.stream().map(e -> e.event().messageId()).sorted().toList(), "nothing written since is skipped");
    await(subscription.close());
    await(again.close());
    await(log.close());
  }

  @Test
  void aConsumerThreadThatDiesIsReportedAndRestartedAndDeliveryGoesOn(Vertx vertx) {
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options()));
    await(log.append(events("before", 10)));
    KafkaSubscription subscription = (KafkaSubscription) await(log.subscribe("dies-" + UUID.randomUUID()));
    readAtLeast(subscription, 10);
    await(subscription.commit(Map.of(0, 10L)));

    subscription.failNextPoll(new IllegalStateException("injected consumer failure"));
    KafkaEventLogTest.eventually("the death reported to the subscriber", () -> {
      Future<List<LogEntry>> poll = subscription.poll(100, Long.MAX_VALUE);
      return poll.failed() && poll.cause().getMessage().contains("injected consumer failure");
    });
    await(log.append(events("after", 10)));
    List<LogEntry> read = readAtLeast(subscription, 10);
    assertEquals(10, read.get(0).offset(), "the restarted consumer goes on from the committed offset");
    await(subscription.commit(Map.of(0, 20L)));
    await(subscription.close());
    await(log.close());
  }

  private static ConfigEntry topicConfig(KafkaAdminClient admin, String topic, String name) {
    ConfigResource resource = new ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    return await(admin.describeConfigs(List.of(resource))).get(resource).getEntries().stream()
        .filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }
}
