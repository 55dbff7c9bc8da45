package dev.herald.bench;

import dev.herald.kafka.testkit.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Herald on Kafka against Kafka's own producer. On a local single-node KRaft broker (started from
 * the Maven Central artifacts): first the fat JAR with {@code log.type: kafka} under the same
 * {@code /v1/batch} load as the embedded benchmark (100 events of ~600 bytes per request, an HTTP
 * destination receiving), then Kafka's {@code ProducerPerformance} writing as many records as
 * Herald accepted, with payloads read back from Herald's topic (so of the same size) and Herald's
 * producer settings. Prints both rates and their ratio, and appends them as one JSON line to
 * {@code bench/results/kafka.jsonl}.
 * Usage: {@code bench/kafka.sh [seconds=30] [connections=32] [compression=lz4] [destination=http|none]};
 * with {@code none} Herald runs without a destination, to show what ingest alone costs.
 */
public final class KafkaBenchmark {

  private static final Pattern PP_SUMMARY = Pattern.compile(
      "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency"
          + ".*?(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

  public static void main(String[] args) throws Exception {
    // The bench JVM has logback without a config file: keep Netty's and Kafka's debug output out.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.INFO);
    Path root = Path.of(System.getProperty("herald.root", ".")).toAbsolutePath().normalize();
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    String compression = args.length > 2 ? args[2] : "lz4";
    boolean deliver = !(args.length > 3 && args[3].equals("none"));
    double warmup = Math.min(5, seconds / 4);
    int eventsPerRequest = 100;
    String writeKey = "bench-write-key";
    Path work = Files.createTempDirectory("herald-kafka-bench");

    try (KafkaBroker broker = KafkaBroker.startNew(List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC"))) {
      KafkaHeraldProcess.KafkaSettings settings = new KafkaHeraldProcess.KafkaSettings(broker.bootstrapServers(),
          "herald.bench", 12, compression, 5, 256 * 1024);

      // ---- Herald ----
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      Receiver receiver = new Receiver(vertx);
      int receiverPort = receiver.start().await();
      long accepted;
      double heraldRate;
      Percentiles req;
      long peakRss;
      long failed;
      try (HeraldProcess herald = KafkaHeraldProcess.start(root.resolve("launcher/target/herald.jar"),
          root.resolve("plugins"), Files.createDirectories(work.resolve("herald")), writeKey, receiverPort, "1g",
          settings, deliver)) {
        LoadGenerator load = new LoadGenerator(vertx, herald.port, writeKey, connections, Scenario.BATCH, 0);
        load.run(warmup).await();
        if (deliver) awaitDelivered(receiver, load.acceptedEvents.get(), 60);
        long acceptedBefore = load.acceptedEvents.get();
        load.record();
        long start = System.nanoTime();
        load.run(seconds).await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        accepted = load.acceptedEvents.get() - acceptedBefore;
        heraldRate = accepted / elapsed;
        req = load.requestLatency();
        failed = load.failedRequests.get();
        boolean drained = !deliver || awaitDelivered(receiver, load.acceptedEvents.get(), 120);
        peakRss = herald.peakRssMb();
        if (!drained) {
          System.out.println("NOT DRAINED: delivered " + receiver.events.get() + " of " + load.acceptedEvents.get());
        }
        load.close().await();
      } finally {
        receiver.stop().await();
        vertx.close().await();
      }

      // ---- Kafka's ProducerPerformance, same records, same producer ----
      Path payloads = work.resolve("payloads.txt");
      int sample = 20_000;
      run(work.resolve("consumer.log"), Duration.ofMinutes(2), "org.apache.kafka.tools.consumer.ConsoleConsumer",
          List.of("--bootstrap-server", broker.bootstrapServers(), "--topic", settings.topic(), "--from-beginning",
              "--max-messages", Integer.toString(sample), "--timeout-ms", "30000"), payloads);
      List<String> lines = Files.readAllLines(payloads).stream().filter(l -> l.startsWith("{")).toList();
      Files.write(payloads, lines);
      double avgValueBytes = lines.stream().mapToInt(l -> l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
          .average().orElse(0);
      String ppTopic = "producer-performance";
      run(work.resolve("topic.log"), Duration.ofMinutes(1), "org.apache.kafka.tools.TopicCommand",
          List.of("--bootstrap-server", broker.bootstrapServers(), "--create", "--topic", ppTopic, "--partitions",
              Integer.toString(settings.partitions()), "--replication-factor", "1"), null);
      List<String> ppArgs = new ArrayList<>(List.of("--topic", ppTopic, "--num-records", Long.toString(accepted),
          "--payload-file", payloads.toString(), "--throughput", "-1", "--producer-props"));
      ppArgs.addAll(settings.producerProps());
      Path ppLog = work.resolve("producer-performance.log");
      run(ppLog, Duration.ofMinutes(10), "org.apache.kafka.tools.ProducerPerformance", ppArgs, ppLog);
      String ppOutput = Files.readString(ppLog);
      Matcher m = PP_SUMMARY.matcher(lastSummaryLine(ppOutput));
      if (!m.find()) throw new IllegalStateException("no ProducerPerformance summary in:\n" + ppOutput);
      double ppRate = Double.parseDouble(m.group(2));

      System.out.println();
      System.out.println("Herald on Kafka vs Kafka's ProducerPerformance: single-node KRaft broker (Kafka 4.3.1), topic of "
          + settings.partitions() + " partitions, acks=all, idempotent, " + compression + ", linger.ms "
          + settings.lingerMs() + ", batch.size " + settings.batchBytes() + "; "
          + Runtime.getRuntime().availableProcessors() + " cores shared by everything");
      System.out.printf(Locale.ROOT, "  Herald: POST /v1/batch, %d events (~600 B) per request, %d connections, %.0f s measured after %.1f s warm-up, %s%n",
          eventsPerRequest, connections, seconds, warmup,
          deliver ? "HTTP destination receiving" : "no destination (ingest only)");
      row("Herald ingest events/s", heraldRate);
      row("Herald request p50 ms", req.quantileMillis(0.50));
      row("Herald request p99 ms", req.quantileMillis(0.99));
      row("Herald failed requests", failed);
      row("Herald peak RSS MB", peakRss);
      System.out.printf(Locale.ROOT, "  ProducerPerformance: %d records, payloads sampled from Herald's topic (avg %.0f B), no key or headers%n",
          accepted, avgValueBytes);
      row("ProducerPerformance records/s", ppRate);
      row("ProducerPerformance avg latency ms", Double.parseDouble(m.group(4)));
      row("ProducerPerformance p99 latency ms", Double.parseDouble(m.group(8)));
      System.out.printf(Locale.ROOT, "  %-36s %12.2f  (aim: >= 0.60)%n", "ratio Herald / ProducerPerformance",
          heraldRate / ppRate);
      io.vertx.core.json.JsonObject line = ResultsLog.header(root).put("seconds", seconds)
          .put("connections", connections).put("compression", compression).put("deliver", deliver)
          .put("heraldEventsPerSecond", heraldRate).put("heraldP50Ms", req.quantileMillis(0.50))
          .put("heraldP99Ms", req.quantileMillis(0.99)).put("heraldFailed", failed).put("heraldPeakRssMb", peakRss)
          .put("producerPerformanceRecordsPerSecond", ppRate)
          .put("producerPerformanceP99Ms", Double.parseDouble(m.group(8)))
          .put("ratioProducerPerformance", heraldRate / ppRate);
      System.out.println("  results appended to " + ResultsLog.append(root, "kafka", line));
    }
    deleteRecursively(work); // kept when the run failed, for its logs
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static String lastSummaryLine(String output) {
    String last = "";
    for (String line : output.split("\n")) {
      if (line.contains("records sent") && line.contains("50th")) last = line;
    }
    return last;
  }

  private static void run(Path log, Duration timeout, String mainClass, List<String> args, Path output) throws Exception {
    Path target = output == null ? log : output;
    int code = KafkaBroker.runTool(List.of("-Xmx512m"), target, timeout, mainClass, args);
    if (code != 0) {
      throw new IllegalStateException(mainClass + " exited with " + code + ":\n" + Files.readString(target));
    }
  }

  private static boolean awaitDelivered(Receiver receiver, long expected, int timeoutSeconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (receiver.events.get() < expected && System.nanoTime() < deadline) Thread.sleep(20);
    return receiver.events.get() >= expected;
  }

  private static void row(String name, double value) {
    System.out.printf(Locale.ROOT, "  %-36s %12.1f%n", name, value);
  }
}
