package dev.herald.destination.api;

import java.util.List;

/** A {@code config:} block that failed its {@link ConfigSpec}: every problem, each naming its key, no secret values. */
public final class InvalidConfigException extends IllegalArgumentException {

  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
