package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite at process level: the fat JAR under a steady stream of client batches while its
 * destinations misbehave (down then up, a 429 storm, accepting connections and never answering),
 * killed with SIGKILL mid-stream and started again; on Kafka also the broker stopped and started
 * under load. Afterwards every destination must have received every event ingest acknowledged
 * (duplicates allowed, dead letters none). Each run prints one summary line per scenario and
 * destination: acked, delivered, duplicates, dead-lettered, acked-but-undelivered.
 *
 * <p>The log's own faults (write and fsync failures through the I/O seam, a full disk) are in the
 * bus module's {@code LogFaultSuiteTest}; a corrupt older segment in {@code DamagedLogTest}.
 * {@code bench/faults.sh} runs this class with many more events ({@code -Dfaults.events}).
 */
@ExtendWith(SeededRandom.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HeraldFaultsIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.perClass();

  private static final String WRITE_KEY = "faults-write-key";
  private static final int BATCH = Integer.getInteger("faults.batch", 50);
  private static final int EVENTS = Integer.getInteger("faults.events", 400) / BATCH * BATCH;
  /** Every wait grows with the event count: bench/faults.sh runs this class at a larger scale. */
  private static final Duration STEP = Duration.ofMinutes(2 + EVENTS / 10_000);

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private final List<FaultyDestination> destinations = new ArrayList<>();
  private final AtomicReference<HeraldProcess> herald = new AtomicReference<>();
  private final AtomicReference<Throwable> streamFailure = new AtomicReference<>();
  private volatile int ingestPort = -1;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(30));
  }

  @AfterEach
  void tearDown() throws Exception {
    HeraldProcess child = herald.get();
    if (child != null && child.process.isAlive()) child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    for (FaultyDestination d : destinations) Polling.await(d.close());
    Polling.await(vertx.close());
  }

  @Test
  void onTheEmbeddedLogEveryAcknowledgedEventArrivesThroughAKillOutagesStormsAndHangs(Random random) throws Exception {
    FaultyDestination steady = destination("steady", FaultyDestination.Mode.UP);
    FaultyDestination downUp = destination("downup", FaultyDestination.Mode.DOWN);
    FaultyDestination storm = destination("storm", FaultyDestination.Mode.THROTTLE);
    FaultyDestination hang = destination("hang", FaultyDestination.Mode.HANG);
    Path config = config("log: { dir: \"" + dir.resolve("data") + "\" }");
    FaultLoad load = new FaultLoad(client, WRITE_KEY, random);

    start(config);
    Thread stream = stream(load);
    Polling.until(STEP, () -> load.acknowledged.size() >= EVENTS / 2 || !stream.isAlive(),
        () -> "half the events acknowledged: " + load.acknowledged.size());
    kill();
    start(config);
    stream.join(STEP.multipliedBy(3).toMillis());
    assertEquals(null, streamFailure.get(), "the client stream failed");
    assertEquals(EVENTS, load.acknowledged.size(), "every batch acknowledged in the end");

    for (FaultyDestination d : destinations) d.mode(FaultyDestination.Mode.UP);
    awaitDelivered(load);
    summarize("embedded", List.of("SIGKILL under load", "SIGKILL + down then up", "SIGKILL + 429 storm",
        "SIGKILL + never answers"), load);
    stop();
  }

  @Test
  void onKafkaEveryAcknowledgedEventArrivesThroughABrokerRestartAndAKill(Random random) throws Exception {
    FaultyDestination steady = destination("steady", FaultyDestination.Mode.UP);
    FaultyDestination storm = destination("storm", FaultyDestination.Mode.THROTTLE);
    Path config = config("""
        log:
          type: kafka
          kafka: { bootstrapServers: "%s", topic: faults, partitions: 3, appendTimeout: 3s, sessionTimeout: 6s }
        """.formatted(KAFKA.bootstrapServers()));
    FaultLoad load = new FaultLoad(client, WRITE_KEY, random);

    start(config);
    Thread stream = stream(load);
    Polling.until(STEP, () -> load.acknowledged.size() >= EVENTS / 3 || !stream.isAlive(),
        () -> "a third of the events acknowledged: " + load.acknowledged.size());
    int refusedBefore = load.refusals;
    KAFKA.broker().stop();
    Polling.until(Duration.ofSeconds(60), () -> load.refusals > refusedBefore || !stream.isAlive(),
        () -> "ingest refusing while the broker is down");
    KAFKA.broker().start();
    Polling.until(STEP, () -> load.acknowledged.size() >= 2 * EVENTS / 3 || !stream.isAlive(),
        () -> "two thirds of the events acknowledged: " + load.acknowledged.size());
    kill();
    start(config);
    stream.join(STEP.multipliedBy(3).toMillis());
    assertEquals(null, streamFailure.get(), "the client stream failed");
    assertEquals(EVENTS, load.acknowledged.size(), "every batch acknowledged in the end");

    for (FaultyDestination d : destinations) d.mode(FaultyDestination.Mode.UP);
    awaitDelivered(load);
    summarize("kafka", List.of("broker stop/start + SIGKILL under load", "broker stop/start + SIGKILL + 429 storm"), load);
    stop();
  }

  private FaultyDestination destination(String name, FaultyDestination.Mode mode) {
    FaultyDestination d = new FaultyDestination(vertx, name, Ports.free());
    d.mode(mode);
    destinations.add(d);
    return d;
  }

  private Path config(String log) throws IOException {
    StringBuilder yaml = new StringBuilder("""
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: backend, writeKey: %s }]
        plugins: { dir: "%s" }
        """.formatted(WRITE_KEY, PluginJars.source().toAbsolutePath()));
    yaml.append(log).append(log.endsWith("\n") ? "" : "\n").append("destinations:\n");
    for (FaultyDestination d : destinations) {
      yaml.append("""
            - id: %s
              type: http
              config: { endpoint: "http://127.0.0.1:%d/events", timeoutMs: 2000 }
              delivery: { batchEvents: 100, lingerMs: 5, retry: { initialBackoff: 100ms, maxBackoff: 1s }, breaker: { failures: 3, reset: 500ms } }
          """.formatted(d.name, d.port()));
    }
    return Files.writeString(dir.resolve("herald.yaml"), yaml.toString());
  }

  /** Posts EVENTS events in batches on a thread of its own, each retried until acknowledged. */
  private Thread stream(FaultLoad load) {
    Thread thread = new Thread(() -> {
      try {
        for (int i = 0; i < EVENTS / BATCH; i++) load.post(() -> ingestPort, load.batch(BATCH), STEP);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        streamFailure.set(e);
      }
    }, "fault-suite-load");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void start(Path config) throws Exception {
    Path jar = Path.of(System.getProperty("herald.jar", "target/herald.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat JAR is missing: " + jar);
    HeraldProcess child = HeraldProcess.start(jar, config, dir);
    herald.set(child);
    ingestPort = child.awaitStarted(Duration.ofSeconds(90));
  }

  private void kill() throws InterruptedException {
    HeraldProcess child = herald.get();
    ingestPort = -1;
    child.process.destroyForcibly(); // SIGKILL: no final commit, no flush
    assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
    keepLog(child, "killed");
  }

  /** Keeps a Herald process's output beside the summary, for reading after the run. */
  private static void keepLog(HeraldProcess child, String what) {
    try {
      Path summary = Path.of(System.getProperty("faults.summary", "target/fault-suite-summary.txt"));
      Files.writeString(summary.resolveSibling("fault-suite-" + what + "-" + child.process.pid() + ".log"), child.log());
    } catch (IOException e) {
      System.out.println("could not keep the log of Herald " + child.process.pid() + ": " + e);
    }
  }

  private void stop() throws InterruptedException {
    HeraldProcess child = herald.get();
    child.process.destroy();
    assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "Herald did not stop on SIGTERM");
    keepLog(child, "stopped");
  }

  private void awaitDelivered(FaultLoad load) throws InterruptedException {
    Polling.until(STEP, () -> destinations.stream().allMatch(d -> d.receivedAll(load.acknowledged)),
        () -> "every acknowledged event at every destination: " + progress(load) + "\n" + herald.get().log());
  }

  private String progress(FaultLoad load) {
    StringBuilder out = new StringBuilder();
    for (FaultyDestination d : destinations) {
      out.append(d.name).append(' ').append(d.delivered(load.acknowledged)).append('/').append(load.acknowledged.size()).append("; ");
    }
    return out.toString();
  }

  /** One line per scenario and destination; asserts nothing acknowledged is missing or dead-lettered. */
  private void summarize(String log, List<String> scenarios, FaultLoad load) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < destinations.size(); i++) {
      FaultyDestination d = destinations.get(i);
      long acked = load.acknowledged.size();
      long delivered = d.delivered(load.acknowledged);
      long deadLettered = deadLetters(d.name);
      lines.add(String.format("fault-suite log=%s scenario=\"%s\" destination=%s acked=%d delivered=%d duplicates=%d "
              + "deadLettered=%d unacknowledgedArrivals=%d ackedUndelivered=%d", log, scenarios.get(i), d.name, acked,
          delivered, d.duplicates(), deadLettered, d.unacknowledged(load.acknowledged), acked - delivered));
    }
    lines.forEach(System.out::println);
    Path summary = Path.of(System.getProperty("faults.summary", "target/fault-suite-summary.txt"));
    Files.write(summary, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    for (String line : lines) {
      assertTrue(line.endsWith("ackedUndelivered=0"), line);
      assertTrue(line.contains(" deadLettered=0 ") && line.contains(" unacknowledgedArrivals=0 "), line);
    }
  }

  private long deadLetters(String destination) {
    HttpResponse<Buffer> response = Polling.await(client.get(herald.get().adminPort(), "127.0.0.1",
        "/admin/destinations/" + destination + "/dead-letters?limit=1000").send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonArray letters = response.bodyAsJsonObject().getJsonArray("deadLetters");
    return letters.size();
  }
}
