package dev.herald.destination.testkit;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.router.DeliveryPolicy;
import dev.herald.bus.router.DestinationRunner;
import dev.herald.bus.router.EventFilter;
import dev.herald.bus.router.RouteSpec;
import dev.herald.bus.router.RunnerStatus;
import dev.herald.destination.api.DestinationFactory;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A plugin running inside Herald's runner: append events to its log, wait until they are settled,
 * look at the runner's counters, the dead letters and the scripted server's requests. Everything
 * (Vert.x, server, log, temporary folder) is released by {@link #close()}.
 */
public final class RunningDestination implements AutoCloseable {

  private final Vertx vertx;
  private final ScriptedServer server;
  private final Path dir;
  private EventLog log;
  private DeadLetterStore deadLetters;
  private TestDestinationContext context;
  private ObservedDestination destination;
  private DestinationRunner runner;
  private String deploymentId;

  private RunningDestination() {
    // Vert.x logs a warning with the stack of any event-loop task running over 500 ms: the place
    // a plugin blocks shows in the test output even when the contract check cannot see it.
    this.vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(200)
        .setMaxEventLoopExecuteTime(500).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    this.server = ScriptedServer.start();
    try {
      this.dir = Files.createTempDirectory("herald-harness-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RunningDestination start(DestinationFactory factory, Function<ScriptedServer, JsonObject> config,
      Delivery delivery, Set<String> topics) {
    RunningDestination running = new RunningDestination();
    try {
      running.deploy(factory, config.apply(running.server), delivery, topics);
      return running;
    } catch (RuntimeException | Error e) {
      running.close();
      throw e;
    }
  }

  private void deploy(DestinationFactory factory, JsonObject config, Delivery d, Set<String> topics) {
    String id = "test-" + factory.type();
    log = Await.result(EmbeddedEventLog.open(vertx, EmbeddedLogOptions.defaults(dir.resolve("log"))));
    deadLetters = Await.result(DeadLetterStore.open(vertx, dir.resolve("dead-letters"), id));
    context = TestDestinationContext.of(id, vertx, factory.configSpec(), config).sendTimeout(d.sendTimeout());
    destination = new ObservedDestination(context.create(factory));
    DeliveryPolicy policy = new DeliveryPolicy(d.batchEvents(), d.lingerMs(), d.lanes(), d.initialBackoff(),
        d.maxBackoff(), d.maxAge(), d.maxAttempts(), d.breakerFailures(), d.breakerReset(), d.sendTimeout());
    EventFilter filter = new EventFilter(topics, Set.of(), List.of(), List.of());
    runner = new DestinationRunner(new RouteSpec(id, factory.type(), destination, filter, policy, null, null),
        log, deadLetters);
    deploymentId = Await.result(vertx.deployVerticle(runner));
  }

  /** The scripted server (a test that brings its own server can ignore it). */
  public ScriptedServer server() {
    return server;
  }

  /** The limits the plugin declared. */
  public Limits limits() {
    return destination.limits();
  }

  /** Appends events to the log (durably), as ingest does; the runner picks them up. */
  public RunningDestination append(List<Event> events) {
    Await.result(log.append(events));
    return this;
  }

  public RunningDestination append(Event... events) {
    return append(List.of(events));
  }

  /** Waits until every appended event is settled (delivered, dead-lettered or filtered), at most 60 s. */
  public RunningDestination awaitSettled() {
    return awaitSettled(Duration.ofSeconds(60));
  }

  public RunningDestination awaitSettled(Duration timeout) {
    Await.until(timeout, () -> "every event settled: " + status(), () -> status().settled());
    return this;
  }

  /** The runner's counters now. */
  public RunnerSnapshot status() {
    RunnerStatus s = runner.status();
    return new RunnerSnapshot(s.state().name(), s.breaker().name(), s.lag(), s.delivered(), s.rejected(),
        s.retried(), s.deadLettered(), s.inFlight(), s.lastError());
  }

  /** The dead letters so far, oldest first (at most 1000). */
  public List<DeadLetterSnapshot> deadLetters() {
    List<DeadLetter> letters = Await.result(deadLetters.list(DeadLetterQuery.firstPage().withLimit(DeadLetterQuery.MAX_LIMIT)));
    return letters.stream().map(l -> new DeadLetterSnapshot(l.messageId(), l.reason(), l.status(), l.responseExcerpt(),
        l.toJson().encode())).toList();
  }

  List<ObservedDestination.Send> sends() {
    return destination.sends();
  }

  ObservedDestination destination() {
    return destination;
  }

  /**
   * Stops the runner (which stops the plugin after its in-flight sends) and closes the web client
   * as Herald does; what the plugin opened itself must be closed by then.
   */
  void stopDestination() {
    if (deploymentId != null) {
      String id = deploymentId;
      deploymentId = null;
      Await.result(vertx.undeploy(id), Duration.ofSeconds(90));
    }
    if (context != null) context.close();
  }

  /** Stops the plugin and releases everything the harness opened. */
  @Override
  public void close() {
    List<Throwable> failures = new ArrayList<>();
    run(failures, this::stopDestination);
    if (deadLetters != null) run(failures, () -> Await.result(deadLetters.close()));
    if (log != null) run(failures, () -> Await.result(log.close()));
    run(failures, server::close);
    run(failures, () -> Await.result(vertx.close()));
    run(failures, this::deleteDir);
    if (!failures.isEmpty()) {
      AssertionError error = new AssertionError("closing the harness failed: " + failures.get(0), failures.get(0));
      failures.stream().skip(1).forEach(error::addSuppressed);
      throw error;
    }
  }

  private static void run(List<Throwable> failures, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException | AssertionError e) {
      failures.add(e);
    }
  }

  private void deleteDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
