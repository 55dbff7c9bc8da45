package dev.herald.launcher.config;

import java.util.List;

/**
 * The result of reading a config file: a config (defaults in place of whatever was wrong, so
 * later checks can still run) and every problem found.
 */
public record LoadedConfig(HeraldConfig config, List<ConfigProblem> problems) {

  public LoadedConfig {
    problems = List.copyOf(problems);
  }
}
