package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.config.ConfigException;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.ConfigProblem;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refuses bad configs as a whole and touches no data when it does. */
@ExtendWith(VertxExtension.class)
class HeraldStartupTest {

  @Test
  void everyConfigProblemFailsStartUpAtOnceAndNoLogIsCreated(Vertx vertx, @TempDir Path dir) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    Path data = dir.resolve("data");
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("TOKEN", "startup-s3cret")::get)).parse("""
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: web, writeKey: k }]
        log: { dir: "%s" }
        plugins: { dir: "%s" }
        destinations:
          - { id: ftp, type: http, config: { endpoint: "ftp://example.com", bearerToken: "${{ secrets.TOKEN }}" } }
          - { id: other, type: http, config: { endpoint: "http://127.0.0.1:1/x", method: DELETE } }
        """.formatted(data, dir.resolve("plugins")), "herald.yaml");
    assertEquals(List.of(), loaded.problems());

    Throwable failure = await(Herald.start(vertx, loaded).transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
    ConfigException e = assertInstanceOf(ConfigException.class, failure);
    List<String> paths = e.problems().stream().map(ConfigProblem::path).toList();
    assertEquals(List.of("destinations[0].config", "destinations[1].config"), paths, e.getMessage());
    assertFalse(e.getMessage().contains("startup-s3cret"));
    assertFalse(Files.exists(data), "the log must not be created for a config that cannot start");
  }

  @Test
  void stopIsIdempotent(Vertx vertx, @TempDir Path dir) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    LoadedConfig loaded = new ConfigLoader(new Secrets(name -> null)).parse("""
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: web, writeKey: k }]
        log: { dir: "%s" }
        plugins: { dir: "%s" }
        destinations: [{ id: archive, type: file, config: { path: "%s" } }]
        """.formatted(dir.resolve("data"), dir.resolve("plugins"), dir.resolve("out.ndjson")), "herald.yaml");
    Herald herald = await(Herald.start(vertx, loaded));
    assertTrue(herald.ready());
    assertTrue(herald.ingestPort() > 0 && herald.adminPort() > 0);
    await(herald.stop());
    await(herald.stop());
    assertFalse(herald.ready());
  }
}
