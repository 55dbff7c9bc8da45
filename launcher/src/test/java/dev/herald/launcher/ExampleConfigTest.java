package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.ConfigValidator;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.ResolvedDestination;
import dev.herald.launcher.config.Secrets;
import dev.herald.launcher.config.ValidConfig;
import dev.herald.launcher.plugins.PluginCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example config the README points operators to must stay valid against the real plugins. */
class ExampleConfigTest {

  @Test
  void examplesHeraldYamlIsValid(@TempDir Path dir) throws Exception {
    PluginJars.copyInto(dir);
    Map<String, String> env = Map.of("HERALD_ADMIN_TOKEN", "t", "WEB_WRITE_KEY", "w", "BACKEND_WRITE_KEY", "b",
        "HOOK_TOKEN", "h");
    LoadedConfig loaded = new ConfigLoader(new Secrets(env::get)).load(Path.of("../examples/herald.yaml"));
    try (PluginCatalog plugins = PluginCatalog.load(dir)) {
      ValidConfig valid = ConfigValidator.validate(loaded, plugins);
      ResolvedDestination archive = valid.destinations().get(1);
      assertEquals(100L * 1024 * 1024, archive.effectiveConfig().getLong("maxBytes"), "sizes take units in plugin config");
    }
  }
}
