package dev.herald.destination.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import org.slf4j.Logger;

/** What Herald hands a destination: never the plugin manager, only what a send needs. */
public interface DestinationContext {

  /** The send timeout when the config sets none. */
  Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

  /** The destination's {@code id:} from the config. */
  String destinationId();

  /** The Vert.x instance; {@link Destination#send} is called on its event loop. */
  Vertx vertx();

  /** A framework-owned client (closed by Herald, not by the plugin). */
  WebClient webClient();

  /** The {@code config:} block, validated against the factory's spec, defaults filled, secrets resolved. */
  JsonObject config();

  /** A logger named after the destination. Never log secret config values. */
  Logger logger();

  /** The destination's own counters and gauges, exported tagged with its id. */
  default DestinationMetrics metrics() {
    return DestinationMetrics.NONE;
  }

  /**
   * The destination's {@code delivery.sendTimeout}: how long a send may take before the runner
   * counts it as failed and sends the batch again later. Every request of {@link #webClient()}
   * is abandoned after this long (see {@link RequestDeadline}); a plugin using another client
   * should bound its requests the same way.
   */
  default Duration sendTimeout() {
    return DEFAULT_SEND_TIMEOUT;
  }
}
