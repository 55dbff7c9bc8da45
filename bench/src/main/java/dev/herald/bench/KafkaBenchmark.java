package dev.herald.bench;

import dev.herald.bus.log.kafka.KafkaLogOptions;
import dev.herald.kafka.testkit.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
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
 * Herald on Kafka against Kafka's own producer, in one run on one local single-node KRaft broker
 * (started from the Maven Central artifacts): the fat JAR with {@code log.type: kafka} under the
 * {@code /v1/batch} load of the embedded benchmark (100 events of ~600 bytes per request), once
 * with no destination (ingest only) and once with an HTTP destination delivering in the same box;
 * then Kafka's {@code ProducerPerformance} writing as many records as the ingest-only run
 * accepted, with payloads read back from Herald's topic (so of the same size) and Herald's
 * producer settings key for key; then {@link KafkaAppendBenchmark}: what Herald's log adds per
 * record without HTTP. Prints the rates and ratios and appends one JSON line to
 * {@code bench/results/kafka.jsonl}.
 *
 * <p>Usage: {@code bench/kafka.sh [seconds=30] [connections=32] [compression=lz4]
 * [destination=both|none|http] [appendRecords=200000]} (0 append records skips that part). The
 * producer tuning can be varied with {@code -Dherald.bench.kafka.lingerMs}, {@code .batchBytes}
 * and {@code .maxInFlight} (through {@code BENCH_JAVA_OPTS}); both sides always share it.
 */
public final class KafkaBenchmark {

  private static final Pattern PP_SUMMARY = Pattern.compile(
      "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency"
          + ".*?(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");
  private static final int EVENTS_PER_REQUEST = 100;
  private static final String WRITE_KEY = "bench-write-key";

  /** One Herald run's figures. */
  private record HeraldRun(boolean deliver, long accepted, double eventsPerSecond, Percentiles latency, long failed,
      long peakRssMb, boolean drained) {}

  public static void main(String[] args) throws Exception {
    // The bench JVM has logback without a config file: keep Netty's and Kafka's debug output out.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Path root = Path.of(System.getProperty("herald.root", ".")).toAbsolutePath().normalize();
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    String compression = args.length > 2 ? args[2] : "lz4";
    String destination = args.length > 3 ? args[3] : "both";
    int appendRecords = args.length > 4 ? Integer.parseInt(args[4]) : 200_000;
    if (!List.of("both", "none", "http").contains(destination)) {
      throw new IllegalArgumentException("destination must be both, none or http, not " + destination);
    }
    Path work = Files.createTempDirectory("herald-kafka-bench");

    try (KafkaBroker broker = KafkaBroker.startNew(List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC"))) {
      KafkaLogOptions base = KafkaAppendBenchmark.tuned(broker.bootstrapServers(), compression);
      List<HeraldRun> runs = new ArrayList<>();
      if (!destination.equals("http")) {
        runs.add(herald(root, work, base.withTopic("herald.bench.ingest"), false, seconds, connections));
      }
      if (!destination.equals("none")) {
        runs.add(herald(root, work, base.withTopic("herald.bench.deliver"), true, seconds, connections));
      }

      // ---- Kafka's ProducerPerformance, same records, same producer settings ----
      String sampledTopic = runs.get(0).deliver() ? "herald.bench.deliver" : "herald.bench.ingest";
      Path payloads = work.resolve("payloads.txt");
      run(work.resolve("consumer.log"), Duration.ofMinutes(2), "org.apache.kafka.tools.consumer.ConsoleConsumer",
          List.of("--bootstrap-server", broker.bootstrapServers(), "--topic", sampledTopic, "--from-beginning",
              "--max-messages", "20000", "--timeout-ms", "30000"), payloads);
      List<String> lines = Files.readAllLines(payloads).stream().filter(l -> l.startsWith("{")).toList();
      Files.write(payloads, lines);
      double avgValueBytes = lines.stream().mapToInt(l -> l.getBytes(StandardCharsets.UTF_8).length).average().orElse(0);
      KafkaLogOptions pp = base.withTopic("producer-performance");
      run(work.resolve("topic.log"), Duration.ofMinutes(1), "org.apache.kafka.tools.TopicCommand",
          List.of("--bootstrap-server", broker.bootstrapServers(), "--create", "--topic", pp.topic(), "--partitions",
              Integer.toString(pp.partitions()), "--replication-factor", "1"), null);
      long ppRecords = runs.get(0).accepted();
      List<String> ppArgs = new ArrayList<>(List.of("--topic", pp.topic(), "--num-records", Long.toString(ppRecords),
          "--payload-file", payloads.toString(), "--throughput", "-1", "--producer-props"));
      ppArgs.addAll(KafkaHeraldProcess.producerProps(pp));
      Path ppLog = work.resolve("producer-performance.log");
      run(ppLog, Duration.ofMinutes(10), "org.apache.kafka.tools.ProducerPerformance", ppArgs, ppLog);
      String ppOutput = Files.readString(ppLog);
      Matcher m = PP_SUMMARY.matcher(lastSummaryLine(ppOutput));
      if (!m.find()) throw new IllegalStateException("no ProducerPerformance summary in:\n" + ppOutput);
      double ppRate = Double.parseDouble(m.group(2));

      // ---- what the log adds per record, without HTTP ----
      List<KafkaAppendBenchmark.Figures> append = appendRecords > 0
          ? KafkaAppendBenchmark.run(base, appendRecords) : List.of();

      System.out.println();
      System.out.println("Herald on Kafka vs Kafka's ProducerPerformance: single-node KRaft broker, topics of "
          + base.partitions() + " partitions; " + Runtime.getRuntime().availableProcessors() + " cores shared by everything");
      System.out.println("  producer settings of both: " + String.join(" ", KafkaHeraldProcess.producerProps(pp)));
      double warmup = warmup(seconds);
      System.out.printf(Locale.ROOT, "  Herald: POST /v1/batch, %d events (~600 B) per request, %d connections, %.0f s measured after %.1f s warm-up%n",
          EVENTS_PER_REQUEST, connections, seconds, warmup);
      System.out.printf(Locale.ROOT, "  ProducerPerformance: %d records, payloads sampled from Herald's topic (avg %.0f B), no key or headers%n",
          ppRecords, avgValueBytes);
      row("ProducerPerformance records/s", ppRate);
      row("ProducerPerformance avg latency ms", Double.parseDouble(m.group(4)));
      row("ProducerPerformance p99 latency ms", Double.parseDouble(m.group(8)));
      JsonArray heraldRuns = new JsonArray();
      for (HeraldRun r : runs) {
        String name = r.deliver() ? "Herald + HTTP destination" : "Herald ingest only";
        System.out.println("  " + name + (r.drained() ? "" : " (NOT DRAINED: the destination fell behind)"));
        row("  events/s", r.eventsPerSecond());
        row("  request p50 ms", r.latency().quantileMillis(0.50));
        row("  request p99 ms", r.latency().quantileMillis(0.99));
        row("  failed requests", r.failed());
        row("  peak RSS MB", r.peakRssMb());
        System.out.printf(Locale.ROOT, "  %-36s %12.2f%s%n", "  ratio to ProducerPerformance",
            r.eventsPerSecond() / ppRate, r.deliver() ? "" : "  (aim: >= 0.60)");
        heraldRuns.add(new JsonObject().put("deliver", r.deliver()).put("eventsPerSecond", r.eventsPerSecond())
            .put("p50Ms", r.latency().quantileMillis(0.50)).put("p99Ms", r.latency().quantileMillis(0.99))
            .put("failed", r.failed()).put("peakRssMb", r.peakRssMb()).put("drained", r.drained())
            .put("ratioProducerPerformance", r.eventsPerSecond() / ppRate));
      }
      if (!append.isEmpty()) KafkaAppendBenchmark.print(base, append);
      JsonArray appendModes = new JsonArray();
      append.forEach(f -> appendModes.add(f.json()));
      JsonObject line = ResultsLog.header(root).put("seconds", seconds).put("connections", connections)
          .put("compression", compression).put("lingerMs", base.lingerMs()).put("batchBytes", base.batchBytes())
          .put("maxInFlight", base.maxInFlight()).put("herald", heraldRuns)
          .put("producerPerformanceRecordsPerSecond", ppRate)
          .put("producerPerformanceP99Ms", Double.parseDouble(m.group(8)))
          .put("append", appendModes);
      for (HeraldRun r : runs) {
        line.put(r.deliver() ? "ratioDelivering" : "ratioIngestOnly", r.eventsPerSecond() / ppRate);
      }
      System.out.println("  results appended to " + ResultsLog.append(root, "kafka", line));
    }
    deleteRecursively(work); // kept when the run failed, for its logs
  }

  private static double warmup(double seconds) {
    return Math.min(5, seconds / 4);
  }

  /** The fat JAR on {@code kafka}'s topic under the batch load, with or without a destination. */
  private static HeraldRun herald(Path root, Path work, KafkaLogOptions kafka, boolean deliver, double seconds,
      int connections) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Receiver receiver = new Receiver(vertx);
    int receiverPort = receiver.start().await();
    Path dir = Files.createDirectories(work.resolve(deliver ? "herald-deliver" : "herald-ingest"));
    try (HeraldProcess herald = KafkaHeraldProcess.start(root.resolve("launcher/target/herald.jar"),
        root.resolve("plugins"), dir, WRITE_KEY, receiverPort, null, kafka, deliver)) {
      // Each run starts its messageIds apart, so no run's events are another's duplicates.
      LoadGenerator load = new LoadGenerator(vertx, herald.port, WRITE_KEY, connections, Scenario.BATCH,
          deliver ? 1_000_000_000L : 0);
      load.run(warmup(seconds)).await();
      if (deliver) awaitDelivered(receiver, load.acceptedEvents.get(), 60);
      long acceptedBefore = load.acceptedEvents.get();
      load.record();
      long start = System.nanoTime();
      load.run(seconds).await();
      double elapsed = (System.nanoTime() - start) / 1e9;
      long accepted = load.acceptedEvents.get() - acceptedBefore;
      boolean drained = !deliver || awaitDelivered(receiver, load.acceptedEvents.get(), 120);
      HeraldRun run = new HeraldRun(deliver, accepted, accepted / elapsed, load.requestLatency(),
          load.failedRequests.get(), herald.peakRssMb(), drained);
      load.close().await();
      return run;
    } finally {
      receiver.stop().await();
      vertx.close().await();
    }
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
