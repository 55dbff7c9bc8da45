package dev.herald.bench;

import dev.herald.bus.log.kafka.KafkaLogOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The fat JAR as a child JVM with {@code log.type: kafka}, delivering to the bench's receiver. */
final class KafkaHeraldProcess {

  /** Producer settings that are per client or per JVM, not tuning: left to ProducerPerformance's own. */
  private static final Set<String> NOT_SHARED = Set.of("client.id", "key.serializer", "value.serializer");

  private KafkaHeraldProcess() {}

  static HeraldProcess start(Path jar, Path pluginsDir, Path workDir, String writeKey, int receiverPort,
      String heap, KafkaLogOptions kafka, boolean deliver) throws IOException, InterruptedException {
    int port = HeraldProcess.freePort();
    int adminPort = HeraldProcess.freePort();
    String yaml = """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: %d }
        sources:
          - id: bench
            writeKey: "%s"
        log:
          type: kafka
          kafka: { bootstrapServers: "%s", topic: %s, partitions: %d, compression: %s, lingerMs: %d, batchBytes: %d,
                   maxInFlight: %d, bufferMemory: %d, maxPendingBytes: %d }
        plugins: { dir: "%s" }
        """.formatted(port, adminPort, writeKey, kafka.bootstrapServers(), kafka.topic(), kafka.partitions(),
        kafka.compression(), kafka.lingerMs(), kafka.batchBytes(), kafka.maxInFlight(), kafka.bufferMemoryBytes(),
        kafka.maxPendingBytes(), pluginsDir);
    if (deliver) {
      yaml += """
          destinations:
            - id: sink
              type: http
              config: { endpoint: "http://127.0.0.1:%d/events" }
              delivery: { batchEvents: 500, lingerMs: 5, maxInFlight: 4 }
          """.formatted(receiverPort);
    }
    return HeraldProcess.launch(jar, workDir, yaml, port, heap);
  }

  /**
   * As {@code --producer-props} of ProducerPerformance: Herald's producer with these options, key
   * for key (acks, idempotence, compression, linger, batch size, buffer, requests in flight,
   * timeouts), so that the two differ only in what Herald does around the producer.
   */
  static List<String> producerProps(KafkaLogOptions kafka) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : new java.util.TreeMap<>(kafka.producerProperties()).entrySet()) {
      if (!NOT_SHARED.contains(e.getKey())) out.add(e.getKey() + "=" + e.getValue());
    }
    return out;
  }
}
