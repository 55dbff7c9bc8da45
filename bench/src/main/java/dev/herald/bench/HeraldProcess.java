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

/**
 * The fat JAR running as a child JVM on a generated config, as an operator would run it; or,
 * for comparison, the {@link TrivialServer} or the {@link ParseOnlyServer} in a child JVM of the same heap.
 */
final class HeraldProcess implements AutoCloseable {
  /** The embedded log's fsync policy: always (the default: the answer follows the fsync) or interval. */
  static final String FSYNC = System.getProperty("herald.bench.fsync", "always");

  private final Process process;
  final int port;

  private HeraldProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static HeraldProcess start(Path jar, Path pluginsDir, Path workDir, String writeKey, int receiverPort,
      String heap) throws IOException, InterruptedException {
    int port = freePort();
    int adminPort = freePort();
    String yaml = """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: %d }
        sources:
          - id: bench
            writeKey: "%s"
        log: { type: embedded, dir: "%s", fsync: %s }
        plugins: { dir: "%s" }
        destinations:
        """.formatted(port, adminPort, writeKey, workDir.resolve("data"), FSYNC, pluginsDir);
    // -Dherald.bench.deliver=false measures ingest alone: no destination reads the log.
    if (Boolean.parseBoolean(System.getProperty("herald.bench.deliver", "true"))) {
      yaml += """
            - id: sink
              type: http
              config: { endpoint: "http://127.0.0.1:%d/events" }
              delivery: { batchEvents: 500, lingerMs: 5, maxInFlight: 4 }
          """.formatted(receiverPort);
    } else {
      yaml += "  []\n";
    }
    return launch(jar, workDir, yaml, port, heap);
  }

  /**
   * Writes {@code yaml} as the config, starts the fat JAR on it and waits until ingest answers on {@code port}.
   * A null {@code heap} passes no {@code -Xmx}: Herald sizes its memory itself, as {@code java -jar herald.jar} does.
   */
  static HeraldProcess launch(Path jar, Path workDir, String yaml, int port, String heap)
      throws IOException, InterruptedException {
    Path config = workDir.resolve("herald.yaml");
    Files.writeString(config, yaml);
    List<String> command = new java.util.ArrayList<>(List.of(javaBin()));
    if (heap != null) command.add("-Xmx" + heap);
    // For profiling: -Dherald.bench.jvmArgs="-XX:StartFlightRecording=filename=herald.jfr"
    String extra = System.getProperty("herald.bench.jvmArgs", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
    Process process = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("herald.log").toFile())
        .start();
    HeraldProcess herald = new HeraldProcess(process, port);
    herald.awaitReady(Duration.ofSeconds(60), workDir.resolve("herald.log"));
    return herald;
  }

  /** The trivial comparison server on the bench's own classpath. */
  static HeraldProcess startTrivial(Path workDir, String heap) throws IOException, InterruptedException {
    return startYardstick(TrivialServer.class, "trivial", workDir, heap);
  }

  /** The parse-only comparison server (the ceiling of {@code /v1/batch}) on the bench's own classpath. */
  static HeraldProcess startParseOnly(Path workDir, String heap) throws IOException, InterruptedException {
    return startYardstick(ParseOnlyServer.class, "parse-only", workDir, heap);
  }

  private static HeraldProcess startYardstick(Class<?> main, String name, Path workDir, String heap)
      throws IOException, InterruptedException {
    int port = freePort();
    Path log = workDir.resolve(name + ".log");
    Process process = new ProcessBuilder(List.of(javaBin(), "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
        main.getName(), Integer.toString(port)))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    HeraldProcess server = new HeraldProcess(process, port);
    server.awaitReady(Duration.ofSeconds(60), log);
    return server;
  }

  /** The peak resident set size (VmHWM) of the child and its descendants, summed, in MB. */
  long peakRssMb() {
    return ProcessTree.peakKb(process.toHandle()) / 1024;
  }

  /** The child process, for {@link MemorySampler}. */
  ProcessHandle handle() {
    return process.toHandle();
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
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
