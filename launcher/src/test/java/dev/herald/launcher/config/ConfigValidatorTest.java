package dev.herald.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.plugins.PluginCatalog;
import dev.herald.launcher.plugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidatorTest {

  @Test
  void destinationsAreCheckedAgainstTheirPluginsSpecAlongsideFileProblems(@TempDir Path dir) throws Exception {
    TestPlugins.build(dir, "acme", "acme", ">=0.1.0");
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("URL_TOKEN", "s3cret-url")::get)).parse("""
        server: { port: -1 }
        sources: [{ id: web, writeKey: k }]
        destinations:
          - { id: good, type: acme, config: { url: "https://x.example/${{ secrets.URL_TOKEN }}" } }
          - { id: nourl, type: acme, config: { timeoutMs: fast, extra: 1 } }
          - { id: what, type: kinesis }
        """, "herald.yaml");
    try (PluginCatalog plugins = PluginCatalog.load(dir)) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigValidator.validate(loaded, plugins));
      List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
      assertEquals(List.of(
          "server.port: must be a port number from 0 to 65535",
          "destinations[1].config: 'url' is required",
          "destinations[1].config: 'timeoutMs' must be int",
          "destinations[1].config: unknown key 'extra' (known: url, timeoutMs)",
          "destinations[2].type: unknown destination type 'kinesis' (available: acme)"), problems);
      assertFalse(e.getMessage().contains("s3cret-url"));
    }
  }

  @Test
  void aValidConfigGetsThePluginDefaults(@TempDir Path dir) throws Exception {
    TestPlugins.build(dir, "acme", "acme", ">=0.1.0");
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("T", "s3cret")::get)).parse("""
        sources: [{ id: web, writeKey: k }]
        destinations: [{ id: good, type: acme, config: { url: "https://x.example/${{ secrets.T }}" } }]
        """, "herald.yaml");
    try (PluginCatalog plugins = PluginCatalog.load(dir)) {
      ValidConfig valid = ConfigValidator.validate(loaded, plugins);
      ResolvedDestination d = valid.destinations().get(0);
      assertEquals(5000, d.effectiveConfig().getInteger("timeoutMs"));
      assertEquals("https://x.example/s3cret", d.effectiveConfig().getString("url"));
      assertEquals("******", d.redactedConfig().getString("url"));
      assertTrue(!d.toString().contains("s3cret"));
    }
  }

  @Test
  void aBadUrlANegativeTimeoutAndAnUnknownTypeAreListedTogetherWithTheFilesProblems(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("herald.plugins.dir", "../plugins")).resolve("destination-http.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: build the reactor so the plugins exist");
    Files.copy(jar, dir.resolve(jar.getFileName()));
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("HOOK", "hook-s3cret", "MODE", "s3cret-mode")::get)).parse("""
        ingest: { dedupWindow: 1H }
        sources: [{ id: web, writeKey: k }]
        destinations:
          - id: hook
            type: http
            config: { endpoint: "ftp://hooks.example/${{ secrets.HOOK }}", timeoutMs: -1, bodyMode: "${{ secrets.MODE }}" }
          - { id: stream, type: kinesis }
        """, "herald.yaml");
    try (PluginCatalog plugins = PluginCatalog.load(dir)) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigValidator.validate(loaded, plugins));
      List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
      assertEquals(List.of(
          "ingest.dedupWindow: must be a duration: milliseconds or a number with ms, s, m, h or d (e.g. 30s);"
              + " units are lower case (h, not H)",
          "destinations[0].config: 'endpoint' must be an absolute http:// or https:// URL"
              + " (the scheme is ftp, not http or https)",
          "destinations[0].config: 'bodyMode' must be one of array, ndjson, single, not '******'",
          "destinations[0].config: 'timeoutMs' must be >= 1",
          "destinations[1].type: unknown destination type 'kinesis' (available: http)"), problems);
      assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }
  }
}
