package dev.herald.launcher.config;

import java.nio.file.Path;

/** {@code plugins:} the folder of PF4J plugin JARs scanned at start-up. */
public record PluginsConfig(Path dir) {

  public static final PluginsConfig DEFAULT = new PluginsConfig(Path.of("plugins"));
}
