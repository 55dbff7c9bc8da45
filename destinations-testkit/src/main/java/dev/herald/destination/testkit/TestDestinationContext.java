package dev.herald.destination.testkit;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import dev.herald.destination.api.RequestDeadline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Herald hands a destination, for tests: a real Vert.x, a real {@link WebClient} (owned by
 * this context, as Herald owns it, and closed by {@link #close()}), and the config validated
 * against the factory's spec with defaults filled in, exactly as Herald does before
 * {@link DestinationFactory#create}.
 */
public final class TestDestinationContext implements DestinationContext, AutoCloseable {

  private final String destinationId;
  private final Vertx vertx;
  private final JsonObject config;
  private WebClient webClient;
  private volatile Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

  private TestDestinationContext(String destinationId, Vertx vertx, JsonObject config) {
    this.destinationId = destinationId;
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * A context for a destination of {@code factory}'s type with id {@code test-<type>}.
   *
   * @throws IllegalArgumentException listing every problem when {@code rawConfig} does not meet the spec
   */
  public static TestDestinationContext of(Vertx vertx, DestinationFactory factory, JsonObject rawConfig) {
    return of("test-" + factory.type(), vertx, factory.configSpec(), rawConfig);
  }

  /** A context with the given id, its config checked against {@code spec}. */
  public static TestDestinationContext of(String destinationId, Vertx vertx, ConfigSpec spec, JsonObject rawConfig) {
    List<String> problems = spec.validate(rawConfig);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("config of '" + destinationId + "': " + String.join("; ", problems));
    }
    return new TestDestinationContext(destinationId, vertx, spec.withDefaults(rawConfig));
  }

  /** Sets the send timeout (Herald's {@code delivery.sendTimeout}) before the client is first used; returns this. */
  public TestDestinationContext sendTimeout(Duration timeout) {
    this.sendTimeout = timeout;
    return this;
  }

  @Override
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /** Shortcut: validates {@code rawConfig} and lets {@code factory} create the destination. */
  public Destination create(DestinationFactory factory) {
    return factory.create(this);
  }

  @Override
  public String destinationId() {
    return destinationId;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  /** Created on first use, like a connection pool Herald opens for the destination. */
  @Override
  public synchronized WebClient webClient() {
    if (webClient == null) webClient = RequestDeadline.install(vertx, WebClient.create(vertx), sendTimeout);
    return webClient;
  }

  @Override
  public JsonObject config() {
    return config.copy();
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("herald.destination." + destinationId);
  }

  /** Closes the web client, as Herald does after the destination's {@code stop()}. */
  @Override
  public synchronized void close() {
    if (webClient != null) webClient.close();
    webClient = null;
  }
}
