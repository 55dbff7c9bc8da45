package dev.herald.launcher.plugins;

import dev.herald.bus.router.DeliveryPolicy;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationMetrics;
import dev.herald.destination.api.RequestDeadline;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one destination gets from Herald. The WebClient is Herald's: created per destination
 * and closed by {@link #close()} once the destination has stopped.
 */
public final class HeraldDestinationContext implements DestinationContext {

  private final String id;
  private final Vertx vertx;
  private final WebClient webClient;
  private final JsonObject config;
  private final Logger logger;
  private final DestinationMetrics metrics;
  private final Duration sendTimeout;

  /** A context with the default send timeout. */
  public HeraldDestinationContext(String id, Vertx vertx, JsonObject config) {
    this(id, vertx, config, DEFAULT_SEND_TIMEOUT, DestinationMetrics.NONE);
  }

  /**
   * @param sendTimeout the destination's {@code delivery.sendTimeout}: every request's total bound
   * @param metrics the destination's own meters; closed with this context when AutoCloseable
   */
  public HeraldDestinationContext(String id, Vertx vertx, JsonObject config, Duration sendTimeout,
      DestinationMetrics metrics) {
    this.id = id;
    this.metrics = metrics;
    this.vertx = vertx;
    this.sendTimeout = sendTimeout;
    // Connections open on demand; the pool must allow as many as the runner may send at once
    // (the default of 5 would queue sends inside the client, where no limit sees them).
    this.webClient = RequestDeadline.install(vertx, WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("Herald")
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(DeliveryPolicy.MAX_IN_FLIGHT)), sendTimeout);
    this.config = config.copy();
    this.logger = LoggerFactory.getLogger("herald.destination." + id);
  }

  @Override public String destinationId() { return id; }

  @Override public Vertx vertx() { return vertx; }

  @Override public WebClient webClient() { return webClient; }

  @Override public JsonObject config() { return config.copy(); }

  @Override public Logger logger() { return logger; }

  @Override public DestinationMetrics metrics() { return metrics; }

  @Override public Duration sendTimeout() { return sendTimeout; }

  /** Releases the client; call after the destination stopped. */
  public void close() {
    webClient.close();
    if (metrics instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        logger.warn("Releasing the destination's metrics failed: {}", e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "DestinationContext[" + id + "]";
  }
}
