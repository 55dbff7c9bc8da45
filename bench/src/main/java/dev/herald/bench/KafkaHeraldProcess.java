package dev.herald.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The fat JAR as a child JVM with {@code log.type: kafka}, delivering to the bench's receiver. */
final class KafkaHeraldProcess implements AutoCloseable {
  private final Process process;
  final int port;

  private KafkaHeraldProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static KafkaHeraldProcess start(Path jar, Path pluginsDir, Path workDir, String writeKey, int receiverPort,
      String heap, KafkaSettings kafka, boolean deliver) throws IOException, InterruptedException {
    int port = freePort();
    int adminPort = freePort();
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
    Path config = workDir.resolve("herald.yaml");
    Files.writeString(config, yaml);
    Process process = new ProcessBuilder(List.of(javaBin(), "-Xmx" + heap, "-jar", jar.toString(),
        "--config", config.toString()))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("herald.log").toFile())
        .start();
    KafkaHeraldProcess herald = new KafkaHeraldProcess(process, port);
    herald.awaitReady(Duration.ofSeconds(60), workDir.resolve("herald.log"));
    return herald;
  }

  /** The producer settings Herald and ProducerPerformance share. */
  record KafkaSettings(String bootstrapServers, String topic, int partitions, String compression, int lingerMs,
      int batchBytes) {

    /** As {@code --producer-props} of ProducerPerformance: Herald's producer, key for key. */
    List<String> producerProps() {
      return List.of("bootstrap.servers=" + bootstrapServers, "acks=all", "enable.idempotence=true",
          "compression.type=" + compression, "linger.ms=" + lingerMs, "batch.size=" + batchBytes,
          "buffer.memory=" + 64L * 1024 * 1024, "max.in.flight.requests.per.connection=5");
    }
  }

  long peakRssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
    }
    return -1;
  }

  private void awaitReady(Duration timeout, Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("Herald exited at start-up:\n" + Files.readString(log));
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/ping"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 204) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100); // polling an external process's readiness, bounded by the deadline
    }
    throw new IllegalStateException("Herald not ready after " + timeout + ":\n" + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: Herald drains and exits
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
