package dev.herald.destination.amplitude;

import dev.herald.destination.testkit.Await;
import dev.herald.destination.testkit.Delivery;
import dev.herald.destination.testkit.DestinationHarness;
import dev.herald.destination.testkit.RunningDestination;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A backlog drained through the plugin inside Herald's runner (the testkit's harness, a real
 * embedded log) into the {@link AmplitudeContractServer} on 127.0.0.1, which checks every request
 * against Amplitude's batch contract: the server answers 503 while {@code events} realistic Segment
 * events are appended, then 200, and the drain is timed from its first accepted request until
 * every event is settled. The server parses and checks every body on the same machine, so this is a smoke
 * run of the whole path, not the plugin's ceiling ({@link EncodeBenchmark} measures that).
 *
 * <pre>
 * java -cp &lt;test classpath&gt; dev.herald.destination.amplitude.DrainBenchmark [events=200000] [lanes=4]
 * </pre>
 */
public final class DrainBenchmark {

  private DrainBenchmark() {}

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int lanes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Vertx vertx = Vertx.vertx();
    AmplitudeContractServer amplitude = new AmplitudeContractServer(vertx);
    amplitude.keepEvents = false;
    amplitude.unavailable = true;
    String url = Await.result(amplitude.start());
    JsonObject config = new JsonObject().put("apiKey", AmplitudeContractServer.API_KEY).put("endpoint", url);
    try (RunningDestination run = DestinationHarness.of(new AmplitudeDestinationFactory()).config(config)
        // The corpus was received days ago: no age bound, or the outage would dead-letter it.
        .delivery(d -> new Delivery(2000, d.lingerMs(), lanes, Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofDays(3650), 0, 1_000_000, Duration.ofMillis(150), Duration.ofSeconds(30)))
        .start()) {
      long appendStart = System.nanoTime();
      for (int appended = 0, chunk = 0; appended < events; chunk++) {
        int n = Math.min(20_000, events - appended);
        run.append(SegmentCorpus.realistic(1_000 + chunk, n));
        appended += n;
      }
      System.out.printf(Locale.ROOT, "backlog: %d events appended to the embedded log in %.1f s while Amplitude answered 503%n",
          events, (System.nanoTime() - appendStart) / 1e9);
      amplitude.unavailable = false;
      long opened = System.nanoTime();
      long progress = vertx.setPeriodic(5_000, t -> System.out.printf(Locale.ROOT, "  %.0f s: %d arrived, %s%n",
          (System.nanoTime() - opened) / 1e9, amplitude.ingestedCount(), run.status()));
      run.awaitSettled(Duration.ofMinutes(10));
      long done = System.nanoTime();
      vertx.cancelTimer(progress);
      List<AmplitudeContractServer.Request> accepted = amplitude.requests().stream().filter(r -> r.status() == 200).toList();
      long first = accepted.get(0).atNanos();
      int bodies = accepted.size();
      long bytes = accepted.stream().mapToLong(AmplitudeContractServer.Request::bodyBytes).sum();
      int arrived = amplitude.ingestedCount();
      System.out.printf(Locale.ROOT, "drain: %d stored events settled, %d Amplitude events arrived in %d requests of %.0f"
          + " events and %.0f KB on average; %d dead-lettered%n",
          events, arrived, bodies, (double) arrived / bodies, bytes / 1024.0 / bodies, run.status().deadLettered());
      System.out.printf(Locale.ROOT, "drain: %.0f stored events/s from the first accepted request to the last event"
          + " (%.1f s; %.1f s from reopening), %d lanes, %d cores shared by Herald's runner and the checking server%n",
          events / ((done - first) / 1e9), (done - first) / 1e9, (done - opened) / 1e9, lanes,
          Runtime.getRuntime().availableProcessors());
      System.out.println("runner: " + run.status());
    } finally {
      Await.result(amplitude.close());
      Await.result(vertx.close());
    }
  }
}
