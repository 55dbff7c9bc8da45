package dev.herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Drives the fat JAR's {@code /v1/batch} (100 events of ~600 bytes per request, fsync before
 * every answer) for a fixed time while a local HTTP destination receives, then prints ingest
 * and delivery figures. Usage: {@code bench/run.sh [seconds] [connections]}.
 */
public final class IngestBenchmark {

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("herald.root", ".")).toAbsolutePath().normalize();
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    double warmup = Math.min(5, seconds / 4);
    int eventsPerRequest = 100;
    String writeKey = "bench-write-key";

    Path jar = root.resolve("launcher/target/herald.jar");
    Path plugins = root.resolve("plugins");
    Path work = Files.createTempDirectory("herald-bench");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Receiver receiver = new Receiver(vertx);
    int receiverPort = receiver.start().await();

    try (HeraldProcess herald = HeraldProcess.start(jar, plugins, work, writeKey, receiverPort, "1g")) {
      LoadGenerator load = new LoadGenerator(vertx, herald.port, writeKey, connections, eventsPerRequest);
      load.run(warmup).await();
      awaitDelivered(receiver, load.acceptedEvents.get(), 60);

      long acceptedBefore = load.acceptedEvents.get();
      long deliveredBefore = receiver.events.get();
      receiver.startSampling();
      load.record();
      long start = System.nanoTime();
      load.run(seconds).await();
      double elapsed = (System.nanoTime() - start) / 1e9;
      long accepted = load.acceptedEvents.get() - acceptedBefore;
      long deliveredInWindow = receiver.events.get() - deliveredBefore;
      long drainStart = System.nanoTime();
      boolean drained = awaitDelivered(receiver, load.acceptedEvents.get(), 120);
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

      Percentiles req = load.requestLatency();
      Percentiles arrival = receiver.arrivalLatency();
      System.out.println();
      System.out.println("Herald ingest benchmark: POST /v1/batch, " + eventsPerRequest
          + " events (~600 B each) per request, fsync always, " + connections + " connections, "
          + String.format(Locale.ROOT, "%.0f s", elapsed) + " measured after " + warmup + " s warm-up, "
          + Runtime.getRuntime().availableProcessors() + " cores shared by load generator, Herald and receiver");
      row("ingest events/s", accepted / elapsed);
      row("ingest requests/s", accepted / eventsPerRequest / elapsed);
      row("request p50 ms", req.quantileMillis(0.50));
      row("request p99 ms", req.quantileMillis(0.99));
      row("delivered events/s (same window)", deliveredInWindow / elapsed);
      row("ingest->arrival p50 ms", arrival.quantileMillis(0.50));
      row("ingest->arrival p99 ms", arrival.quantileMillis(0.99));
      row("drain after load stopped s", drainSeconds);
      row("failed requests", load.failedRequests.get());
      row("Herald peak RSS MB", herald.peakRssMb());
      System.out.println(drained ? "all " + load.acceptedEvents.get() + " accepted events delivered"
          : "NOT DRAINED: delivered " + receiver.events.get() + " of " + load.acceptedEvents.get());
      load.close().await();
    } finally {
      receiver.stop().await();
      vertx.close().await();
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
