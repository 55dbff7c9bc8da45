package dev.herald.launcher.config;

/**
 * One thing wrong with a config: where ({@code destinations[1].delivery.batchEvents}) and why.
 * Messages never carry secret values.
 */
public record ConfigProblem(String path, String message) {

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
