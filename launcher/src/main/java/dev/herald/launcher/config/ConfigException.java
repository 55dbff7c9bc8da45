package dev.herald.launcher.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config Herald cannot start with; carries every problem found, not just the first. */
public class ConfigException extends RuntimeException {

  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String describe(List<ConfigProblem> problems) {
    return "invalid configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n"
        + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
  }
}
