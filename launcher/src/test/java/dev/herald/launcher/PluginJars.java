package dev.herald.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The plugin JARs the build placed in the top-level {@code plugins/} folder. */
final class PluginJars {

  static final List<String> BUILT_IN = List.of("destination-http.jar", "destination-file.jar");

  private PluginJars() {}

  /** The top-level plugins folder (set by the build; the reactor builds plugins before the launcher). */
  static Path source() {
    return Path.of(System.getProperty("herald.plugins.dir", "../plugins"));
  }

  /** Copies the built-in plugin JARs into {@code target}; fails if the build did not produce them. */
  static void copyInto(Path target) throws IOException {
    Files.createDirectories(target);
    for (String jar : BUILT_IN) {
      Path from = source().resolve(jar);
      if (!Files.isRegularFile(from)) {
        throw new IllegalStateException(from + " is missing: build the whole reactor (./mvnw verify) so the plugins exist");
      }
      Files.copy(from, target.resolve(jar), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
