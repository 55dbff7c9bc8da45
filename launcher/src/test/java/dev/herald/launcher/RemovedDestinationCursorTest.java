package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A destination removed from the config no longer holds a cursor in the log. */
@ExtendWith(VertxExtension.class)
class RemovedDestinationCursorTest {

  @Test
  void startUpDropsTheCursorsOfDestinationsNoLongerConfigured(Vertx vertx, @TempDir Path dir)
      throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    Path data = dir.resolve("data");
    EmbeddedLogOptions logOptions = EmbeddedLogOptions.defaults(data);
    EmbeddedEventLog before = await(EmbeddedEventLog.open(vertx, logOptions));
    await(before.subscribe("archive"));
    await(before.subscribe("removed"));
    await(before.close());
    assertTrue(Files.exists(data.resolve("cursors/removed.cursor")));

    LoadedConfig loaded = new ConfigLoader(new Secrets(name -> null)).parse("""
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: web, writeKey: k }]
        log: { dir: "%s" }
        plugins: { dir: "%s" }
        destinations: [{ id: archive, type: file, config: { path: "%s" } }]
        """.formatted(data, dir.resolve("plugins"), dir.resolve("out.ndjson")), "herald.yaml");
    Herald herald = await(Herald.start(vertx, loaded));
    await(herald.stop());

    EmbeddedEventLog after = await(EmbeddedEventLog.open(vertx, logOptions));
    assertEquals(Map.of("archive", 0L), after.committedOffsets());
    await(after.close());
  }
}
