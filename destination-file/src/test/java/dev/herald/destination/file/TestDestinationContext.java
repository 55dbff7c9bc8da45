package dev.herald.destination.file;

import dev.herald.destination.api.DestinationContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What Herald would hand the plugin: a real Vert.x and the config with defaults filled. */
record TestDestinationContext(Vertx vertx, JsonObject config) implements DestinationContext {

  static TestDestinationContext of(Vertx vertx, JsonObject rawConfig) {
    return new TestDestinationContext(vertx, new FileDestinationFactory().configSpec().withDefaults(rawConfig));
  }

  @Override
  public String destinationId() {
    return "test-file";
  }

  /** The file destination makes no HTTP calls. */
  @Override
  public WebClient webClient() {
    throw new UnsupportedOperationException("the file destination needs no web client");
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("herald.destination.test-file");
  }
}
