package dev.herald.launcher;

import dev.herald.bus.router.EventFilter;
import dev.herald.bus.router.RouteSpec;
import dev.herald.destination.api.Destination;
import dev.herald.launcher.config.ConfigException;
import dev.herald.launcher.config.ConfigProblem;
import dev.herald.launcher.config.DestinationConfig;
import dev.herald.launcher.config.ResolvedDestination;
import dev.herald.launcher.config.ValidConfig;
import dev.herald.launcher.metrics.HeraldMetrics;
import dev.herald.launcher.metrics.PluginMetrics;
import dev.herald.launcher.plugins.HeraldDestinationContext;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the router's routes from a valid config: each destination's plugin instance, filter and policy. */
public final class RouteFactory {

  private static final Logger LOG = LoggerFactory.getLogger(RouteFactory.class);

  private RouteFactory() {}

  /** The routes and, by destination id, the contexts their destinations were created with (the caller closes them). */
  public record Built(List<RouteSpec> routes, Map<String, HeraldDestinationContext> contexts) {}

  /**
   * One route per destination of {@code valid} whose id is in {@code ids} (null: all). The
   * plugins' own config checks fail as one ConfigException listing them all, with the contexts
   * created so far closed.
   */
  public static Built create(Vertx vertx, ValidConfig valid, Set<String> ids, HeraldMetrics metrics) {
    List<RouteSpec> routes = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    List<HeraldDestinationContext> created = new ArrayList<>();
    List<DestinationConfig> configured = valid.config().destinations();
    for (ResolvedDestination d : valid.destinations()) {
      DestinationConfig c = d.config();
      if (ids != null && !ids.contains(c.id())) continue;
      HeraldDestinationContext context = new HeraldDestinationContext(c.id(), vertx, d.effectiveConfig(),
          c.delivery().sendTimeout(), new PluginMetrics(metrics, c.id(), c.type()));
      created.add(context);
      Destination destination;
      try {
        destination = d.factory().create(context);
      } catch (IllegalArgumentException e) {
        // The plugin's own checks beyond its ConfigSpec; its messages name keys, not values.
        problems.add(new ConfigProblem("destinations[" + configured.indexOf(c) + "].config", e.getMessage()));
        continue;
      } catch (RuntimeException e) {
        created.forEach(HeraldDestinationContext::close);
        throw new IllegalStateException(
            "destination '" + c.id() + "' (" + c.type() + ") could not be created: " + e.getMessage(), e);
      }
      EventFilter filter = new EventFilter(new HashSet<>(c.topics()), new HashSet<>(c.sources()), c.include(), c.exclude());
      routes.add(new RouteSpec(c.id(), c.type(), destination, filter, c.delivery(), c.transforms(), null));
      LOG.info("Destination {} ({}): config {}{}", c.id(), c.type(), d.redactedConfig().encode(),
          c.transforms() == null ? "" : ", " + c.transforms());
    }
    if (!problems.isEmpty()) {
      created.forEach(HeraldDestinationContext::close);
      throw new ConfigException(problems);
    }
    Map<String, HeraldDestinationContext> contexts = new java.util.LinkedHashMap<>();
    created.forEach(c -> contexts.put(c.destinationId(), c));
    return new Built(routes, contexts);
  }
}
