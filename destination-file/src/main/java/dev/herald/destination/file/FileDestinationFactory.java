package dev.herald.destination.file;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import org.pf4j.Extension;

/**
 * The {@code file} destination: appends every event to an NDJSON file with size-based
 * rotation. It is Herald's default first-run destination and the smallest complete example
 * of a destination plugin, so it is written to be read.
 *
 * <p>A plugin is found by PF4J through {@code @Extension}: the annotation processor lists
 * this class in {@code META-INF/extensions.idx} of the plugin JAR. Herald then picks the
 * factory whose {@link #type()} matches {@code type:} in the config, validates the
 * {@code config:} block against {@link #configSpec()} (every problem reported at once,
 * defaults filled in) and calls {@link #create} once per configured destination. The keys
 * themselves are declared next to the code that reads them, in {@link FileSinkConfig}.
 */
@Extension
public final class FileDestinationFactory implements DestinationFactory {

  @Override
  public String type() {
    return "file";
  }

  @Override
  public ConfigSpec configSpec() {
    return FileSinkConfig.SPEC;
  }

  /**
   * Only parses the config: {@code create} must not block or do I/O, so the file is opened
   * in {@link FileDestination#start()}.
   */
  @Override
  public Destination create(DestinationContext context) {
    return new FileDestination(context, FileSinkConfig.from(context.config()));
  }
}
