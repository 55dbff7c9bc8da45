package dev.herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A backlog built and drained, with Herald's default memory settings (no {@code -Xmx}). The fat JAR
 * runs with three destinations: {@code live} (http) delivering all along, and {@code backlog}
 * (http) and {@code amplitude} (the amplitude plugin against a {@link LedgerReceiver} playing
 * Amplitude's API), both paused through the admin API before {@code events} events are ingested
 * through {@code /v1/batch}. Then {@code backlog} is resumed and its drain timed, then
 * {@code amplitude}'s. Every receiver checks that each messageId arrived exactly once; peak heap
 * (from {@code /metrics}) and peak RSS (of Herald's process tree) are sampled per phase. Appends one
 * JSON line to {@code bench/results/drain.jsonl}. Usage: {@code bench/drain.sh [events=10000000]}.
 */
public final class DrainBenchmark {
  private static final String WRITE_KEY = "bench-write-key";
  private static final int CONNECTIONS = Integer.getInteger("herald.bench.connections", 16);
  private static final int MAX_IN_FLIGHT = Integer.getInteger("herald.bench.maxInFlight", 4);
  private static final String AMPLITUDE_API = System.getProperty("herald.bench.amplitudeApi", "httpv2");
  /** Stored records are ~0.8 KB; the default retention (10 GB) would cut into a 10M-event backlog. */
  private static final String RETENTION = "64GB";

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.INFO);
    Path root = Path.of(System.getProperty("herald.root", ".")).toAbsolutePath().normalize();
    int events = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 10_000_000;
    Path work = Files.createTempDirectory("herald-drain-bench");
    // Gigabytes of log: gone even when a time limit ends the run with SIGTERM (the logs beside it stay).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        IngestBenchmark.deleteRecursively(work.resolve("data"));
      } catch (java.io.IOException | RuntimeException e) {
        System.err.println("could not delete " + work.resolve("data") + ": " + e);
      }
    }));
    long needBytes = events * 2048L; // records plus segment slack, with room to spare
    if (Files.getFileStore(work).getUsableSpace() < needBytes) {
      throw new IllegalStateException("not enough disk under " + work + " for " + events + " events: need ~"
          + needBytes / (1L << 30) + " GB free");
    }
    System.out.printf(Locale.ROOT, "drain benchmark: %,d events (~600 B track events, 100 per /v1/batch request, %d "
        + "connections), fat JAR with default memory settings (no -Xmx), embedded log with fsync always and "
        + "retention %s; destinations live + backlog (http, batchEvents 500, lingerMs 5, maxInFlight %d) and "
        + "amplitude (%s, batchEvents 2000, lingerMs 50, maxInFlight %d); %d cores; work dir %s%n", events, CONNECTIONS,
        RETENTION, MAX_IN_FLIGHT, AMPLITUDE_API, MAX_IN_FLIGHT, Runtime.getRuntime().availableProcessors(), work);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    LedgerReceiver live = new LedgerReceiver(vertx, LedgerReceiver.Kind.HTTP, new IdLedger(0, events), null, 0);
    LedgerReceiver backlog = new LedgerReceiver(vertx, LedgerReceiver.Kind.HTTP, new IdLedger(0, events), null, 0);
    LedgerReceiver amplitude = new LedgerReceiver(vertx, LedgerReceiver.Kind.AMPLITUDE, new IdLedger(0, events), null, 0);
    int port = HeraldProcess.freePort();
    int adminPort = HeraldProcess.freePort();
    String yaml = config(root, work, port, adminPort, live.start().await(), backlog.start().await(),
        amplitude.start().await());
    JsonObject line = ResultsLog.header(root).put("events", events).put("connections", CONNECTIONS)
        .put("maxInFlight", MAX_IN_FLIGHT).put("amplitudeApi", AMPLITUDE_API).put("heap", "default (no -Xmx)");
    try (HeraldProcess herald = HeraldProcess.launch(root.resolve("launcher/target/herald.jar"), work, yaml, port, null)) {
      HeraldAdmin admin = new HeraldAdmin(adminPort);
      admin.pause("backlog");
      admin.pause("amplitude");
      try (MemorySampler memory = new MemorySampler(herald.handle(), admin)) {
        // ---- build the backlog while `live` delivers ----
        long start = System.nanoTime();
        BacklogLoader loader = new BacklogLoader(vertx, port, WRITE_KEY, CONNECTIONS);
        loader.load(events, 60).await();
        double ingestSeconds = (System.nanoTime() - start) / 1e9;
        boolean liveDone = live.ledger.await(events, 60, 600);
        double liveSeconds = (live.ledger.lastNewAtNanos() - start) / 1e9;
        MemorySampler.Peaks build = memory.takePeaks();
        System.out.printf(Locale.ROOT, "  backlog built: %,d events ingested in %.1f s (%.0f events/s, %d requests retried); "
            + "live delivered %s%n", loader.accepted.get(), ingestSeconds, events / ingestSeconds, loader.retried.get(),
            liveDone ? String.format(Locale.ROOT, "all of them %.1f s after the start", liveSeconds) : "NOT all: " + live.ledger.verdict());
        printPeaks("while building (live delivering)", build);

        // ---- drain to http, then to Amplitude, one at a time ----
        Drain http = drain(admin, "backlog", backlog, events, memory);
        Drain amp = drain(admin, "amplitude", amplitude, events, memory);
        MemorySampler.Peaks all = build.max(http.peaks).max(amp.peaks);
        long treePeakMb = herald.peakRssMb();
        System.out.println();
        System.out.println("Herald backlog drain (" + String.format(Locale.ROOT, "%,d", events) + " events, default memory settings)");
        row("ingest events/s while live delivers", events / ingestSeconds);
        row("drain to http events/s", http.rate);
        row("drain to amplitude events/s", amp.rate);
        row("peak heap used MB", all.heapUsedMb());
        row("peak heap committed MB", all.heapCommittedMb());
        row("heap max MB (the JVM's bound)", all.heapMaxMb());
        row("peak RSS MB (process tree, sampled)", all.rssMb());
        row("peak RSS MB (sum of VmHWM, upper bound)", treePeakMb);
        System.out.println("  live:      " + live.ledger.verdict());
        System.out.println("  backlog:   " + backlog.ledger.verdict());
        System.out.println("  amplitude: " + amplitude.ledger.verdict() + " (" + amplitude.requests.get() + " requests, "
            + amplitude.refused.get() + " refused by the contract)");
        if (memory.lastError() != null) System.out.println("  a heap read failed at least once: " + memory.lastError());
        line.put("ingestEventsPerSecond", events / ingestSeconds).put("ingestRetriedRequests", loader.retried.get())
            .put("drainHttpEventsPerSecond", http.rate).put("drainHttpSeconds", http.seconds)
            .put("drainAmplitudeEventsPerSecond", amp.rate).put("drainAmplitudeSeconds", amp.seconds)
            .put("peakHeapUsedMb", all.heapUsedMb()).put("peakHeapCommittedMb", all.heapCommittedMb())
            .put("heapMaxMb", all.heapMaxMb()).put("peakRssMb", all.rssMb()).put("peakRssHwmSumMb", treePeakMb)
            .put("phases", new JsonObject().put("build", json(build)).put("drainHttp", json(http.peaks))
                .put("drainAmplitude", json(amp.peaks)))
            .put("exactlyOnce", new JsonObject().put("live", live.ledger.verdict())
                .put("http", backlog.ledger.verdict()).put("amplitude", amplitude.ledger.verdict()));
        System.out.println("  results appended to " + ResultsLog.append(root, "drain", line));
      }
    } finally {
      live.stop().await();
      backlog.stop().await();
      amplitude.stop().await();
      vertx.close().await();
      IngestBenchmark.deleteRecursively(work.resolve("data")); // gigabytes; the logs stay for a look
      System.out.println("  logs in " + work);
    }
  }

  private record Drain(double rate, double seconds, MemorySampler.Peaks peaks) {}

  /** Resumes {@code destination} and waits until its receiver has every event; the rate is to the last new one. */
  private static Drain drain(HeraldAdmin admin, String destination, LedgerReceiver receiver, int events,
      MemorySampler memory) throws Exception {
    memory.takePeaks();
    long start = System.nanoTime();
    admin.resume(destination);
    boolean done = receiver.ledger.await(events, 60, Math.max(600, events / 5_000.0));
    double seconds = (receiver.ledger.lastNewAtNanos() - start) / 1e9;
    double rate = done ? events / seconds : Double.NaN;
    MemorySampler.Peaks peaks = memory.takePeaks();
    System.out.printf(Locale.ROOT, "  drain to %s: %s%n", destination, done
        ? String.format(Locale.ROOT, "%,d events in %.1f s, %.0f events/s", events, seconds, rate)
        : "NOT DRAINED (stalled or past the deadline): " + receiver.ledger.verdict());
    printPeaks("while draining " + destination, peaks);
    return new Drain(rate, seconds, peaks);
  }

  private static String config(Path root, Path work, int port, int adminPort, int livePort, int backlogPort,
      int amplitudePort) {
    return """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: %d }
        sources: [{ id: bench, writeKey: "%s" }]
        log: { type: embedded, dir: "%s", retention: { maxBytes: %s, maxAge: 7d } }
        plugins: { dir: "%s" }
        destinations:
          - id: live
            type: http
            config: { endpoint: "http://127.0.0.1:%d/live" }
            delivery: { batchEvents: 500, lingerMs: 5, maxInFlight: %d }
          - id: backlog
            type: http
            config: { endpoint: "http://127.0.0.1:%d/backlog" }
            delivery: { batchEvents: 500, lingerMs: 5, maxInFlight: %d }
          - id: amplitude
            type: amplitude
            config: { apiKey: "%s", api: %s, endpoint: "http://127.0.0.1:%d" }
            delivery: { batchEvents: 2000, lingerMs: 50, maxInFlight: %d }
        """.formatted(port, adminPort, WRITE_KEY, work.resolve("data"), RETENTION, root.resolve("plugins"), livePort,
        MAX_IN_FLIGHT, backlogPort, MAX_IN_FLIGHT, LedgerReceiver.AMPLITUDE_API_KEY, AMPLITUDE_API, amplitudePort,
        MAX_IN_FLIGHT);
  }

  private static void printPeaks(String phase, MemorySampler.Peaks p) {
    System.out.printf(Locale.ROOT, "    peaks %s: heap used %d MB, committed %d MB (max %d MB), RSS %d MB (%d samples)%n",
        phase, p.heapUsedMb(), p.heapCommittedMb(), p.heapMaxMb(), p.rssMb(), p.samples());
  }

  private static JsonObject json(MemorySampler.Peaks p) {
    return new JsonObject().put("heapUsedMb", p.heapUsedMb()).put("heapCommittedMb", p.heapCommittedMb())
        .put("heapMaxMb", p.heapMaxMb()).put("rssMb", p.rssMb());
  }

  private static void row(String name, double value) {
    System.out.printf(Locale.ROOT, "  %-42s %12.1f%n", name, value);
  }
}
