package dev.herald.destination.amplitude;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import org.pf4j.Extension;

/** The {@code amplitude} destination: Segment-spec events (or Amplitude-shaped raw records) to Amplitude. */
@Extension
public final class AmplitudeDestinationFactory implements DestinationFactory {

  public static final String TYPE = "amplitude";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ConfigSpec configSpec() {
    return AmplitudeConfig.SPEC;
  }

  /** @throws IllegalArgumentException listing every problem, should Herald not have validated the config */
  @Override
  public Destination create(DestinationContext context) {
    return new AmplitudeDestination(context, AmplitudeConfig.from(context.config()));
  }
}
