package dev.herald.destination.amplitude;

import dev.herald.destination.api.DestinationContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What Herald would hand the plugin: a real Vert.x, a real WebClient, a config validated with defaults filled. */
record TestDestinationContext(Vertx vertx, WebClient webClient, JsonObject config) implements DestinationContext {

  static TestDestinationContext of(Vertx vertx, WebClient client, JsonObject rawConfig) {
    var spec = new AmplitudeDestinationFactory().configSpec();
    var problems = spec.validate(rawConfig);
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return new TestDestinationContext(vertx, client, spec.withDefaults(rawConfig));
  }

  @Override
  public String destinationId() {
    return "test-amplitude";
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("herald.destination.test-amplitude");
  }
}
