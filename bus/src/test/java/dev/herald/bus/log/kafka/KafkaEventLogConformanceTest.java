package dev.herald.bus.log.kafka;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.EventLogConformanceTest;
import dev.herald.bus.log.LogEntry;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite on a real Kafka broker: a topic of four partitions per test. */
class KafkaEventLogConformanceTest extends EventLogConformanceTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final String topic = "conformance-" + UUID.randomUUID();
  /** This node's local state (which destinations are paused). */
  @TempDir java.nio.file.Path stateDir;

  @Override
  protected EventLog open(Vertx vertx) throws Exception {
    return await(KafkaEventLog.open(vertx, KafkaLogOptions.defaults(KAFKA.bootstrapServers())
        .withTopic(topic).withPartitions(4).withAppendTimeout(java.time.Duration.ofSeconds(40)), stateDir));
  }

  /** What Kafka's retention does, on demand: moves each partition's start past half its entries. */
  @Override
  protected Retained applyRetention(Vertx vertx, EventLog log, List<LogEntry> entries)
      throws Exception {
    Map<Integer, List<Long>> offsets = new HashMap<>();
    for (LogEntry entry : entries) {
      offsets.computeIfAbsent(entry.partition(), p -> new ArrayList<>()).add(entry.offset());
    }
    Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
    Map<Integer, Long> starts = new HashMap<>();
    offsets.forEach((partition, list) -> {
      list.sort(Comparator.naturalOrder());
      long start = list.get(list.size() / 2);
      starts.put(partition, start);
      delete.put(new TopicPartition(topic, partition), RecordsToDelete.beforeOffset(start));
    });
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", KAFKA.bootstrapServers()));
    try {
      await(admin.deleteRecords(delete));
    } finally {
      await(admin.close());
    }
    return new Retained(log, starts);
  }

  @Override
  protected Map<String, Long> retentionLosses(EventLog log) {
    return ((KafkaEventLog) log).retentionLosses();
  }
}
