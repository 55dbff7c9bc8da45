package dev.herald.launcher.reload;

import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.ConfigProblem;
import dev.herald.launcher.config.ConnectorFiles;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import dev.herald.launcher.config.SecretsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where a running Herald's config comes from, read again on each reload: the config file (or the
 * first-run setup when there is none), the {@code --connector} files, and the {@code --secrets}
 * file over the environment. Blocking.
 *
 * @param config null for the first-run setup
 * @param firstRun builds the first-run config (used when {@code config} is null)
 */
public record ConfigSource(Path config, List<Path> connectors, Path secretsFile, Secrets environment,
    FirstRunConfig firstRun) implements Supplier<LoadedConfig> {

  /** The first-run config; blocking. */
  public interface FirstRunConfig {
    HeraldConfig create() throws IOException;
  }

  public ConfigSource {
    connectors = List.copyOf(connectors);
  }

  @Override
  public LoadedConfig get() {
    Secrets secrets = environment;
    if (secretsFile != null) {
      try {
        secrets = environment.over(SecretsFile.read(secretsFile));
      } catch (IOException | IllegalArgumentException e) {
        return problem("--secrets", (e instanceof IOException ? "cannot read " + secretsFile + ": " : "") + e.getMessage());
      }
    }
    LoadedConfig loaded;
    if (config == null) {
      try {
        loaded = new LoadedConfig(firstRun.create(), List.of());
      } catch (IOException e) {
        return problem("", "cannot prepare the first-run setup: " + e.getMessage());
      }
    } else {
      loaded = new ConfigLoader(secrets).load(config);
    }
    return ConnectorFiles.addTo(loaded, connectors, secrets);
  }

  private LoadedConfig problem(String path, String message) {
    HeraldConfig empty = new ConfigLoader(environment).parse("", "config").config();
    return new LoadedConfig(empty, List.of(new ConfigProblem(path, message)));
  }
}
