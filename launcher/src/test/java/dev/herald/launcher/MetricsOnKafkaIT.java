package dev.herald.launcher;

import dev.herald.kafka.testkit.KafkaBrokerExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MetricsEndToEndTest}'s checks with Herald on a real Kafka broker: one topic per test. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MetricsOnKafkaIT extends MetricsEndToEndTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.perClass();

  @Override
  String logSection() {
    // log.dir still holds ingest's dedup state: a fresh one per test
    return "{ type: kafka, dir: \"" + dir.resolve("data") + "\", kafka: { bootstrapServers: \""
        + KAFKA.bootstrapServers() + "\", topic: metrics-" + System.nanoTime() + ", partitions: 3, appendTimeout: 5s } }";
  }
}
