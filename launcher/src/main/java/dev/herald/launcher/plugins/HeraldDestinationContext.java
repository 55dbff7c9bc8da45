package dev.herald.launcher.plugins;

import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
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

  public HeraldDestinationContext(String id, Vertx vertx, JsonObject config) {
    this(id, vertx, config, DestinationMetrics.NONE);
  }

  /** @param metrics the destination's own meters; closed with this context when AutoCloseable */
  public HeraldDestinationContext(String id, Vertx vertx, JsonObject config, DestinationMetrics metrics) {
    this.id = id;
    this.metrics = metrics;
    this.vertx = vertx;
    this.webClient = WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("Herald")
        .setKeepAlive(true));
    this.config = config.copy();
    this.logger = LoggerFactory.getLogger("herald.destination." + id);
  }

  @Override public String destinationId() { return id; }

  @Override public Vertx vertx() { return vertx; }

  @Override public WebClient webClient() { return webClient; }

  @Override public JsonObject config() { return config.copy(); }

  @Override public Logger logger() { return logger; }

  @Override public DestinationMetrics metrics() { return metrics; }

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
