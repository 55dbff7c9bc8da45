package dev.herald.launcher.config;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.launcher.plugins.PluginCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * The second half of config checking, once plugins are loaded: each destination's
 * {@code type} must be on offer and its {@code config:} must satisfy the plugin's
 * {@link ConfigSpec}, its validators and checks included (a bad URL, a negative timeout).
 * Reports the problems of the file, of the plugins and of the destinations together.
 */
public final class ConfigValidator {

  private ConfigValidator() {}

  /** Every problem of {@code loaded} and {@code plugins}, or the valid config. */
  public static ValidConfig validate(LoadedConfig loaded, PluginCatalog plugins) {
    List<ConfigProblem> problems = new ArrayList<>(loaded.problems());
    problems.addAll(plugins.problems());
    List<ResolvedDestination> resolved = new ArrayList<>();
    List<DestinationConfig> destinations = loaded.config().destinations();
    for (int i = 0; i < destinations.size(); i++) {
      DestinationConfig d = destinations.get(i);
      String path = "destinations[" + i + "]";
      if (d.type() == null || d.type().isBlank()) continue;
      PluginCatalog.Offer offer = plugins.offer(d.type());
      if (offer == null) {
        problems.add(new ConfigProblem(path + ".type", "unknown destination type '" + d.type() + "' (available: "
            + (plugins.offers().isEmpty() ? "none; no plugins in " + plugins.dir() : String.join(", ", plugins.offers().keySet()))
            + ")"));
        continue;
      }
      ConfigSpec spec;
      try {
        spec = offer.factory().configSpec();
      } catch (RuntimeException e) {
        problems.add(new ConfigProblem(path + ".type", "plugin '" + offer.pluginId() + "' failed to describe its config: " + e));
        continue;
      }
      List<String> specProblems = spec.validate(d.config());
      specProblems.forEach(p -> problems.add(new ConfigProblem(path + ".config", masked(p, d))));
      if (specProblems.isEmpty()) resolved.add(new ResolvedDestination(d, offer.factory(), spec.withDefaults(d.config())));
    }
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return new ValidConfig(loaded.config(), resolved);
  }

  /**
   * A plugin's problem with any value that came from a secret masked: a plugin's validator may
   * quote a value ("must be one of a, b, not 'x'") without knowing where it came from.
   */
  private static String masked(String problem, DestinationConfig d) {
    String out = problem;
    for (String key : d.secretKeys()) {
      if (d.config().getValue(key) instanceof String value && !value.isBlank()) out = out.replace(value, "******");
    }
    return out;
  }
}
