package dev.herald.destination.testkit;

import dev.herald.destination.api.DestinationFactory;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Runs a destination plugin the way Herald does: created by its factory from a validated config,
 * inside Herald's real runner reading a real embedded log, with a {@link ScriptedServer} on
 * 127.0.0.1 playing the remote end. A contract test is one line after the config:
 *
 * <pre>{@code
 * DestinationHarness.of(new ExampleDestinationFactory())
 *     .config(server -> new JsonObject().put("url", server.url("/events")))
 *     .checkHttpContract();
 * }</pre>
 *
 * {@link #start()} gives a {@link RunningDestination} for tests of one's own scenarios.
 */
public final class DestinationHarness {

  private final DestinationFactory factory;
  private Function<ScriptedServer, JsonObject> config = server -> new JsonObject();
  private Delivery delivery = Delivery.TEST;
  private Set<String> topics = Set.of("analytics");
  private Duration maxCallTime = Duration.ofSeconds(2);

  private DestinationHarness(DestinationFactory factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** A harness for the plugin whose factory this is. */
  public static DestinationHarness of(DestinationFactory factory) {
    return new DestinationHarness(factory);
  }

  /** The destination's {@code config:} block, given the scripted server (e.g. to point at its URL). */
  public DestinationHarness config(Function<ScriptedServer, JsonObject> config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  /** A fixed {@code config:} block (the destination talks to a server of the test's own). */
  public DestinationHarness config(JsonObject config) {
    JsonObject fixed = config.copy();
    return config(server -> fixed.copy());
  }

  /** Changes how the runner delivers, e.g. {@code d -> d.batchEvents(20).lanes(2)}. */
  public DestinationHarness delivery(UnaryOperator<Delivery> change) {
    this.delivery = change.apply(delivery);
    return this;
  }

  /** The topics the destination reads (default: {@code analytics}, the Segment events). */
  public DestinationHarness topics(String... names) {
    this.topics = new LinkedHashSet<>(List.of(names));
    return this;
  }

  /**
   * The longest a {@code start()}, {@code send()} or {@code stop()} call may hold the event loop
   * before the contract check calls it blocking (default 2 s: generous for a busy machine, far
   * beyond what a call that only starts asynchronous work takes).
   */
  public DestinationHarness maxCallTime(Duration limit) {
    this.maxCallTime = limit;
    return this;
  }

  /** Starts the plugin in a runner; close the result (try-with-resources). */
  public RunningDestination start() {
    return RunningDestination.start(factory, config, delivery, topics);
  }

  /**
   * Checks what every destination owes the framework, whatever it talks to: batches within the
   * plugin's own {@code Limits} (it is given more events than fit one batch), every event answered
   * delivered exactly once, no call holding the event loop, {@code stop()} called once and
   * completing, no send after it. Fails listing every broken promise.
   */
  public void checkContract() {
    new ContractCheck(this).limitsAndLifecycle();
  }

  /**
   * {@link #checkContract()}, and the answers of an HTTP destination, scripted on the server one
   * event at a time: 2xx is delivered; 400 is rejected (a dead letter with the status, not retried);
   * 500, 503, a reset connection and no answer at all are retried until delivered; an answer 2 s
   * late is delivered and does not hold the event loop (the send returns before the server could
   * answer); after {@code stop()} (and Herald closing its web client) the server sees no connection
   * left open. Give the plugin a timeout above 2 s and within the runner's 5 s send timeout (e.g.
   * 3 s), so that it waits out the late answer and classifies the silence itself.
   */
  public void checkHttpContract() {
    ContractCheck check = new ContractCheck(this);
    check.limitsAndLifecycle();
    check.httpAnswers();
  }

  DestinationFactory factory() { return factory; }

  Function<ScriptedServer, JsonObject> config() { return config; }

  Delivery delivery() { return delivery; }

  Set<String> topics() { return topics; }

  Duration maxCallTime() { return maxCallTime; }
}
