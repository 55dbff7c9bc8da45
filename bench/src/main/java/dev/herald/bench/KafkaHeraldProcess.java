package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The fat JAR as a child JVM with {@code log.type: kafka}, delivering to the bench's receiver. */
final class KafkaHeraldProcess {

  private KafkaHeraldProcess() {}

  static HeraldProcess start(Path jar, Path pluginsDir, Path workDir, String writeKey, int receiverPort,
      String heap, KafkaSettings kafka, boolean deliver) throws IOException, InterruptedException {
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
          kafka: { bootstrapServers: "%s", topic: %s, partitions: %d, compression: %s, lingerMs: %d, batchBytes: %d }
        plugins: { dir: "%s" }
        """.formatted(port, adminPort, writeKey, kafka.bootstrapServers(), kafka.topic(), kafka.partitions(),
        kafka.compression(), kafka.lingerMs(), kafka.batchBytes(), pluginsDir);
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

  /** The producer settings Herald and ProducerPerformance share. */
  record KafkaSettings(String bootstrapServers, String topic, int partitions, String compression, int lingerMs,
      int batchBytes) {

    /** As {@code --producer-props} of ProducerPerformance: Herald's producer, key for key. */
    List<String> producerProps() {
      return List.of("bootstrap.servers=" + bootstrapServers, "acks=all", "enable.idempotence=true",
          "compression.type=" + compression, "linger.ms=" + lingerMs, "batch.size=" + batchBytes,
          "buffer.memory=" + 64L * 1024 * 1024, "max.in.flight.requests.per.connection=1");
    }
  }
}
