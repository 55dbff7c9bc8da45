package dev.herald.launcher.config;

import java.util.List;

/** A config with no problems, each destination matched to its plugin. */
public record ValidConfig(HeraldConfig config, List<ResolvedDestination> destinations) {

  public ValidConfig {
    destinations = List.copyOf(destinations);
  }
}
