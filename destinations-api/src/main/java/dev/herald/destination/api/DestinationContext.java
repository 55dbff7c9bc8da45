package dev.herald.destination.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;

/** What Herald hands a destination: never the plugin manager, only what a send needs. */
public interface DestinationContext {

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
}
