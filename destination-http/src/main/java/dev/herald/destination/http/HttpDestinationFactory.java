package dev.herald.destination.http;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import org.pf4j.Extension;

/**
 * The {@code http} destination: posts batches of events to any HTTP endpoint, the Herald
 * counterpart of Fluvio's {@code http-sink}.
 */
@Extension
public final class HttpDestinationFactory implements DestinationFactory {

  public static final String TYPE = "http";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ConfigSpec configSpec() {
    return HttpSinkConfig.SPEC;
  }

  /** @throws IllegalArgumentException listing every problem, should Herald not have validated the config */
  @Override
  public Destination create(DestinationContext context) {
    return new HttpDestination(context, HttpSinkConfig.from(context.config()));
  }
}
