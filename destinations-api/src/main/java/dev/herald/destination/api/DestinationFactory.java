package dev.herald.destination.api;

import org.pf4j.ExtensionPoint;

/**
 * The extension point a destination plugin implements (annotate the class with PF4J's
 * {@code @Extension}). Herald finds one factory per {@link #type()}, validates the
 * destination's {@code config:} block against {@link #configSpec()}, then calls
 * {@link #create(DestinationContext)} once per configured destination.
 */
public interface DestinationFactory extends ExtensionPoint {

  /** The value of {@code type:} in the config that selects this factory, e.g. {@code "http"}. */
  String type();

  /**
   * The config keys this destination takes, each with its checks; Herald validates a block with it
   * (listing every problem with the rest of the config's) and fills defaults before {@link #create}.
   */
  ConfigSpec configSpec();

  /**
   * Builds one destination instance; read the config with {@code configSpec().parse(context.config())}.
   * Must not block or do I/O: do that in {@link Destination#start()}.
   */
  Destination create(DestinationContext context);
}
