package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Herald receiving what another forwards to it (the segment destination's {@code endpoint}):
 * one source, its log in {@code dir/receiver-data}, and a file destination writing every event it
 * accepts to {@code dir/received.ndjson}. Started again on the same folder and port, it resumes.
 */
final class ReceivingHerald {

  private ReceivingHerald() {}

  /** The built-in plugin JARs and the segment plugin's into {@code dir/plugins}, as the forwarding tests need. */
  static void copyPlugins(Path dir) throws IOException {
    PluginJars.copyInto(dir.resolve("plugins"));
    Path jar = PluginJars.source().resolve("destination-segment.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the whole reactor (./mvnw verify) so the plugins exist");
    }
    Files.copy(jar, dir.resolve("plugins/destination-segment.jar"), StandardCopyOption.REPLACE_EXISTING);
  }

  static Herald start(Vertx vertx, Path dir, int port, String writeKey) throws Exception {
    Path file = Files.writeString(dir.resolve("receiver.yaml"), """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: forwarder, writeKey: "%s" }]
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        destinations:
          - { id: received, type: file, config: { path: "%s" }, delivery: { lingerMs: 20 } }
        """.formatted(port, writeKey, dir.resolve("receiver-data"), dir.resolve("plugins"), dir.resolve("received.ndjson")));
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.<String, String>of()::get)).load(file);
    assertEquals(List.of(), loaded.problems());
    return Polling.await(Herald.start(vertx, loaded));
  }

  /** The events in the receiver's file by messageId, each with its copies (one, when all is well). */
  static Map<String, List<JsonObject>> received(Path dir) {
    Map<String, List<JsonObject>> byId = new HashMap<>();
    Path file = dir.resolve("received.ndjson");
    if (!Files.exists(file)) return byId;
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The receiver may be writing the last line right now: only whole lines count.
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (line.isBlank()) continue;
      JsonObject e = new JsonObject(line);
      byId.computeIfAbsent(e.getString("messageId"), k -> new ArrayList<>()).add(e);
    }
    return byId;
  }
}
