package dev.herald.destination.http;

import dev.herald.destination.api.DestinationContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What Herald would hand the plugin: a real Vert.x, a real WebClient, a config with defaults filled. */
record TestDestinationContext(Vertx vertx, WebClient webClient, JsonObject config) implements DestinationContext {

  static TestDestinationContext of(Vertx vertx, WebClient client, JsonObject rawConfig) {
    return new TestDestinationContext(vertx, client, new HttpDestinationFactory().configSpec().withDefaults(rawConfig));
  }

  @Override
  public String destinationId() {
    return "test-http";
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("herald.destination.test-http");
  }
}
