package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.config.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Path dir, String... args) {
    Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new Secrets(Map.of("KEY", "cli-s3cret")::get), dir.resolve("data"));
    return cli.run(args);
  }

  @Test
  void validateAcceptsAGoodConfig(@TempDir Path dir) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        sources: [{ id: web, writeKey: "${{ secrets.KEY }}" }]
        plugins: { dir: "%s" }
        destinations:
          - { id: archive, type: file, config: { path: "%s" } }
        """.formatted(dir.resolve("plugins"), dir.resolve("out.ndjson")));
    assertEquals(0, run(dir, "validate", "--config", config.toString()), err.toString());
    assertTrue(out.toString().trim().endsWith("config OK"), out.toString());
  }

  @Test
  void validateListsEveryProblemAndExits1(@TempDir Path dir) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        sources: [{ id: web, writeKey: "${{ secrets.KEY }}" }, { id: app, writeKey: "${{ secrets.OTHER }}" }]
        plugins: { dir: "%s" }
        destinations:
          - { id: hook, type: http, config: { headers: { X-Key: "${{ secrets.KEY }}" } }, delivery: { batchEvents: 0 } }
          - { id: s3, type: s3 }
        """.formatted(dir.resolve("plugins")));
    assertEquals(1, run(dir, "validate", "--config", config.toString()));
    String text = err.toString();
    assertTrue(text.contains("sources[1].writeKey: secret 'OTHER' is not set"), text);
    assertTrue(text.contains("destinations[0].delivery.batchEvents: must be a positive integer"), text);
    assertTrue(text.contains("destinations[0].config: 'endpoint' is required"), text);
    assertTrue(text.contains("destinations[1].type: unknown destination type 's3' (available: file, http)"), text);
    assertFalse(text.contains("cli-s3cret"), text);
  }

  @Test
  void badArgumentsExit2(@TempDir Path dir) {
    assertEquals(2, run(dir, "validate"));
    assertTrue(err.toString().contains("validate needs --config FILE"));
    assertEquals(2, run(dir, "--bogus"));
  }

  @Test
  void runningWithABadConfigPrintsEveryProblemAndExits1(@TempDir Path dir) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        server: { port: 0, host: 127.0.0.1 }
        admin: { port: 0, host: 127.0.0.1 }
        sources: [{ id: web, writeKey: "${{ secrets.KEY }}" }]
        plugins: { dir: "%s" }
        log: { dir: "%s" }
        destinations: [{ id: s3, type: s3 }, { id: s3, type: file, config: {} }]
        """.formatted(dir.resolve("plugins"), dir.resolve("data")));
    assertEquals(1, run(dir, "--config", config.toString()));
    String text = err.toString();
    assertTrue(text.contains("invalid configuration (3 problems)"), text);
    assertTrue(text.contains("destinations[1].id: duplicate destination id 's3'"), text);
    assertTrue(text.contains("destinations[0].type: unknown destination type 's3'"), text);
    assertTrue(text.contains("destinations[1].config: 'path' is required"), text);
  }
}
