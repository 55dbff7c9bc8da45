package dev.herald.launcher.metrics;

import dev.herald.destination.api.DestinationMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's own meters, named {@code herald_plugin_<type>_<name>} and tagged with the
 * destination's id. A bad name or tag list is the plugin's bug: it fails loudly at once. The
 * meters go with the destination ({@link #close}), so no gauge keeps an unloaded plugin's classes.
 */
public final class PluginMetrics implements DestinationMetrics, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PluginMetrics.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final MeterRegistry registry;
  private final String destinationId;
  private final String prefix;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();

  public PluginMetrics(HeraldMetrics metrics, String destinationId, String type) {
    this.registry = metrics.registry();
    this.destinationId = destinationId;
    this.prefix = "herald.plugin." + type.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + ".";
  }

  @Override
  public DestinationMetrics.Counter counter(String name, String... tags) {
    io.micrometer.core.instrument.Counter counter = io.micrometer.core.instrument.Counter.builder(prefix + checked(name)).tags(tags(tags)).register(registry);
    meters.add(counter);
    return counter::increment;
  }

  @Override
  public void gauge(String name, DoubleSupplier value, String... tags) {
    meters.add(Gauge.builder(prefix + checked(name), value, DoubleSupplier::getAsDouble).tags(tags(tags))
        .register(registry));
  }

  /** Removes this destination's plugin meters. */
  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  private Tags tags(String... tags) {
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("metric tags come in key, value pairs; got " + tags.length + " strings");
    }
    Tags all = Tags.of(tags);
    if (all.stream().anyMatch(t -> t.getKey().equals("destination"))) {
      LOG.warn("destination {}: a plugin metric's 'destination' tag is Herald's; it is replaced", destinationId);
    }
    return all.and("destination", destinationId);
  }

  private static String checked(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("metric name '" + name + "' must be 1-64 lower-case letters, digits "
          + "or '_', starting with a letter");
    }
    return name;
  }
}
