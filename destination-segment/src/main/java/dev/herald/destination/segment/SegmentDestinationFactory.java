package dev.herald.destination.segment;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import org.pf4j.Extension;

/**
 * The {@code segment} destination: forwards Segment-spec events to any Segment-compatible
 * Tracking API ({@code POST /v1/batch}): Segment, a RudderStack data plane, or another Herald.
 */
@Extension
public final class SegmentDestinationFactory implements DestinationFactory {

  public static final String TYPE = "segment";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ConfigSpec configSpec() {
    return SegmentConfig.SPEC;
  }

  /** @throws IllegalArgumentException listing every problem, should Herald not have validated the config */
  @Override
  public Destination create(DestinationContext context) {
    return new SegmentDestination(context, SegmentConfig.from(context.config()));
  }
}
