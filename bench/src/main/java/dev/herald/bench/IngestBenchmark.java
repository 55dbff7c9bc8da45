package dev.herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Drives the fat JAR's ingest (fsync before every answer) with three kinds of request, each for
 * a fixed time: {@code /v1/batch} (100 events of ~600 bytes), {@code /v1/track} (one event) and
 * gzip {@code /v1/batch}; then the same requests against a trivial Vert.x Web server that
 * stores nothing and against a parse-only server that also walks every JSON token of the body (the
 * ceiling of {@code /v1/batch}), each in a child JVM on the same machine, and prints the three side
 * by side with Herald's ratios to both. A local HTTP destination receives Herald's deliveries; for
 * the plain batch run the delivery figures are printed too. Each run appends one JSON line to
 * {@code bench/results/ingest.jsonl}. Usage: {@code bench/run.sh [seconds] [connections]
 * [batch,track,gzip_batch]}.
 */
public final class IngestBenchmark {

  private static final String WRITE_KEY = "bench-write-key";
  /** {@code -Dherald.bench.deliver=false}: no destination, ingest alone. */
  private static final boolean DELIVER = Boolean.parseBoolean(System.getProperty("herald.bench.deliver", "true"));

  /** The figures of one timed run. */
  record Result(Scenario scenario, String target, double elapsedSeconds, double requestsPerSecond,
      double eventsPerSecond, double p50, double p99, long failed) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("herald.root", ".")).toAbsolutePath().normalize();
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    List<Scenario> scenarios = args.length > 2
        ? java.util.Arrays.stream(args[2].split(",")).map(name -> Scenario.valueOf(name.trim().toUpperCase(Locale.ROOT)))
            .toList()
        : List.of(Scenario.values());
    double warmup = Math.min(5, seconds / 4);

    Path jar = root.resolve("launcher/target/herald.jar");
    Path plugins = root.resolve("plugins");
    Path work = Files.createTempDirectory("herald-bench");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Receiver receiver = new Receiver(vertx);
    int receiverPort = receiver.start().await();
    long sequence = 0;
    long heraldAccepted = 0;
    List<Result> results = new ArrayList<>();

    try (HeraldProcess herald = HeraldProcess.start(jar, plugins, work, WRITE_KEY, receiverPort, null);
        HeraldProcess trivial = HeraldProcess.startTrivial(work, "1g");
        HeraldProcess parseOnly = HeraldProcess.startParseOnly(work, "1g")) {
      List<HeraldProcess> yardsticks = List.of(trivial, parseOnly);
      JsonObject deliveryJson = new JsonObject();
      List<String> delivery = new ArrayList<>();
      // One unmeasured pass over every scenario first, so the first measured run is not the one
      // that pays for JIT compilation and heap growth.
      for (Scenario scenario : scenarios) {
        for (HeraldProcess server : List.of(herald, trivial, parseOnly)) {
          LoadGenerator warming = new LoadGenerator(vertx, server.port, WRITE_KEY, connections, scenario, sequence);
          warming.run(warmup).await();
          sequence = warming.nextSequence();
          if (server == herald) {
            heraldAccepted += warming.acceptedEvents.get();
          }
          warming.close().await();
        }
      }
      if (DELIVER) {
        awaitDelivered(receiver, heraldAccepted, 120);
      }
      for (Scenario scenario : scenarios) {
        LoadGenerator load = new LoadGenerator(vertx, herald.port, WRITE_KEY, connections, scenario, sequence);
        load.run(warmup).await();
        long deliveredBefore = receiver.events.get();
        long acceptedBefore = load.acceptedEvents.get();
        if (scenario == Scenario.BATCH) {
          receiver.startSampling();
        }
        Result result = measure(load, scenario, "herald", seconds);
        long accepted = load.acceptedEvents.get() - acceptedBefore;
        long deliveredInWindow = receiver.events.get() - deliveredBefore;
        heraldAccepted += load.acceptedEvents.get();
        long drainStart = System.nanoTime();
        // Drained before the next run, so deliveries do not compete with it for the cores.
        boolean drained = !DELIVER || awaitDelivered(receiver, heraldAccepted, 120);
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        results.add(result);
        sequence = load.nextSequence();
        load.close().await();
        if (scenario == Scenario.BATCH && DELIVER) {
          Percentiles arrival = receiver.arrivalLatency();
          delivery.add(row("delivered events/s (same window)", deliveredInWindow / result.elapsedSeconds()));
          delivery.add(row("ingest->arrival p50 ms", arrival.quantileMillis(0.50)));
          delivery.add(row("ingest->arrival p99 ms", arrival.quantileMillis(0.99)));
          delivery.add(row("drain after load stopped s", drainSeconds));
          delivery.add(row("events accepted in the window", accepted));
          deliveryJson.put("deliveredEventsPerSecond", deliveredInWindow / result.elapsedSeconds())
              .put("arrivalP50Ms", arrival.quantileMillis(0.50)).put("arrivalP99Ms", arrival.quantileMillis(0.99))
              .put("drainSeconds", drainSeconds);
        }
        if (!drained) {
          delivery.add("NOT DRAINED after " + scenario + ": delivered " + receiver.events.get());
        }

        for (HeraldProcess server : yardsticks) {
          LoadGenerator yardstick = new LoadGenerator(vertx, server.port, WRITE_KEY, connections, scenario, sequence);
          yardstick.run(warmup).await();
          results.add(measure(yardstick, scenario, server == trivial ? "trivial" : "parse", seconds));
          sequence = yardstick.nextSequence();
          yardstick.close().await();
        }
      }

      System.out.println();
      System.out.println("Herald ingest benchmark: fat JAR, fsync " + HeraldProcess.FSYNC + (HeraldProcess.FSYNC.equals("always") ? " (the answer follows the fsync), " : ", ") + connections
          + " connections, " + String.format(Locale.ROOT, "%.0f s", seconds) + " per run after " + warmup
          + " s warm-up, " + Runtime.getRuntime().availableProcessors()
          + " cores shared by load generator, servers and receiver; 'trivial' is a Vert.x Web server answering 200 "
          + "without storing; 'parse' also inflates and walks every JSON token (Jackson streaming), the ceiling");
      System.out.printf(Locale.ROOT, "  %-44s %-8s %10s %11s %8s %8s %7s%n", "requests", "server", "req/s",
          "events/s", "p50 ms", "p99 ms", "failed");
      JsonArray scenarioJson = new JsonArray();
      for (int i = 0; i < results.size(); i += 3) {
        Result ours = results.get(i);
        Result trivialResult = results.get(i + 1);
        Result parseResult = results.get(i + 2);
        print(ours);
        print(trivialResult);
        print(parseResult);
        double vsTrivial = ours.requestsPerSecond / trivialResult.requestsPerSecond;
        double vsParse = ours.requestsPerSecond / parseResult.requestsPerSecond;
        System.out.printf(Locale.ROOT, "  %-44s %-8s %10.2f  (Herald / trivial)%n", "", "ratio", vsTrivial);
        System.out.printf(Locale.ROOT, "  %-44s %-8s %10.2f  (Herald / parse-only ceiling)%n", "", "ratio", vsParse);
        scenarioJson.add(new JsonObject().put("scenario", ours.scenario.name().toLowerCase(Locale.ROOT))
            .put("herald", json(ours)).put("trivial", json(trivialResult)).put("parseOnly", json(parseResult))
            .put("ratioTrivial", vsTrivial).put("ratioParseOnly", vsParse));
      }
      if (DELIVER) {
        System.out.println("  delivery during the /v1/batch run (HTTP destination on 127.0.0.1):");
        delivery.forEach(System.out::println);
      } else {
        System.out.println("  no destination configured (-Dherald.bench.deliver=false): ingest alone");
      }
      long peakRss = herald.peakRssMb();
      System.out.println(row("Herald peak RSS MB", peakRss));
      JsonObject line = ResultsLog.header(root).put("seconds", seconds).put("fsync", HeraldProcess.FSYNC).put("warmupSeconds", warmup)
          .put("connections", connections).put("deliver", DELIVER).put("scenarios", scenarioJson)
          .put("heraldPeakRssMb", peakRss);
      if (DELIVER) line.put("delivery", deliveryJson);
      System.out.println("  results appended to " + ResultsLog.append(root, "ingest", line));
    } finally {
      receiver.stop().await();
      vertx.close().await();
      // The event log can hold gigabytes; the logs beside it stay for a look afterwards.
      deleteRecursively(work.resolve("data"));
      System.out.println("  logs in " + work);
    }
  }

  static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static Result measure(LoadGenerator load, Scenario scenario, String target, double seconds) {
    long requestsBefore = load.okRequests.get();
    long failedBefore = load.failedRequests.get();
    load.record();
    long start = System.nanoTime();
    load.run(seconds).await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long requests = load.okRequests.get() - requestsBefore;
    Percentiles latency = load.requestLatency();
    return new Result(scenario, target, elapsed, requests / elapsed, requests * scenario.eventsPerRequest / elapsed,
        latency.quantileMillis(0.50), latency.quantileMillis(0.99), load.failedRequests.get() - failedBefore);
  }

  private static JsonObject json(Result r) {
    return new JsonObject().put("requestsPerSecond", r.requestsPerSecond).put("eventsPerSecond", r.eventsPerSecond)
        .put("p50Ms", r.p50).put("p99Ms", r.p99).put("failed", r.failed);
  }

  private static void print(Result r) {
    System.out.printf(Locale.ROOT, "  %-44s %-8s %10.0f %11.0f %8.2f %8.2f %7d%n", r.scenario.describe(), r.target,
        r.requestsPerSecond, r.eventsPerSecond, r.p50, r.p99, r.failed);
  }

  private static boolean awaitDelivered(Receiver receiver, long expected, int timeoutSeconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (receiver.events.get() < expected && System.nanoTime() < deadline) Thread.sleep(20);
    return receiver.events.get() >= expected;
  }

  private static String row(String name, double value) {
    return String.format(Locale.ROOT, "  %-36s %12.1f", name, value);
  }
}
