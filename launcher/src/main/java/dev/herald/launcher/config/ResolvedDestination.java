package dev.herald.launcher.config;

import dev.herald.destination.api.DestinationFactory;
import io.vertx.core.json.JsonObject;

/**
 * A destination whose plugin was found and whose {@code config:} passed the plugin's spec.
 *
 * @param effectiveConfig the config with the spec's defaults filled in and secrets resolved
 */
public record ResolvedDestination(DestinationConfig config, DestinationFactory factory, JsonObject effectiveConfig) {

  /** The effective config safe to show: secret keys of the spec and values from secrets masked. */
  public JsonObject redactedConfig() {
    JsonObject out = factory.configSpec().redact(effectiveConfig);
    config.secretKeys().forEach(k -> out.put(k, "******"));
    return out;
  }

  @Override
  public String toString() {
    return "ResolvedDestination[id=" + config.id() + ", type=" + config.type() + ", config=" + redactedConfig().encode() + "]";
  }
}
