package dev.herald.launcher;

import dev.herald.bus.router.DeliveryPolicy;
import dev.herald.ingest.IpPolicy;
import dev.herald.ingest.SourceOptions;
import dev.herald.launcher.config.AdminConfig;
import dev.herald.launcher.config.DestinationConfig;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.IngestConfig;
import dev.herald.launcher.config.LogConfig;
import dev.herald.launcher.config.PluginsConfig;
import dev.herald.launcher.config.ServerConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The built-in config used when Herald starts without {@code --config}: ingest on port 8080,
 * a {@code demo} source whose write key is generated once and kept in
 * {@code <data>/demo-write-key}, the embedded log under {@code <data>}, and a {@code file}
 * destination writing {@code <data>/out/events.ndjson}.
 */
public final class FirstRun {

  public static final String SOURCE_ID = "demo";
  public static final String DESTINATION_ID = "local-file";

  private FirstRun() {}

  /** The default config over {@code dataDir}, creating the write key on first use. Blocking. */
  public static HeraldConfig config(Path dataDir) throws IOException {
    String writeKey = writeKey(dataDir);
    JsonObject fileConfig = new JsonObject().put("path", dataDir.resolve("out").resolve("events.ndjson").toString());
    DestinationConfig file = new DestinationConfig(DESTINATION_ID, "file", List.of("analytics"), List.of(), List.of(),
        List.of(), fileConfig, Set.of(), DeliveryPolicy.DEFAULT);
    return new HeraldConfig(ServerConfig.DEFAULT, AdminConfig.DEFAULT, IngestConfig.DEFAULT,
        // The demo source may post to every raw topic: a first run is for trying things out.
        List.of(new SourceOptions(SOURCE_ID, writeKey, IpPolicy.KEEP, null, List.of("*"))),
        LogConfig.defaults(dataDir), PluginsConfig.DEFAULT, List.of(file));
  }

  /** The demo write key, generated and stored (owner-readable only) the first time. */
  static String writeKey(Path dataDir) throws IOException {
    Path file = dataDir.resolve("demo-write-key");
    if (Files.exists(file)) {
      String key = Files.readString(file).trim();
      if (!key.isEmpty()) return key;
    }
    Files.createDirectories(dataDir);
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String key = "demo_" + HexFormat.of().formatHex(random);
    Path tmp = Files.createTempFile(dataDir, "demo-write-key", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the folder's ACL applies
    }
    Files.writeString(tmp, key + "\n");
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return key;
  }

  /** The lines printed at start-up so a newcomer can send an event right away. */
  public static String banner(String writeKey, Path keyFile, int ingestPort, Path outFile) {
    return """

        Herald is running with the built-in first-run config.
          demo source write key: %s   (kept in %s)
          events go to:          %s

        Send an event:
          curl -u '%s:' -H 'Content-Type: application/json' \\
            -d '{"type":"track","event":"Signed Up","userId":"u1"}' http://localhost:%d/v1/track

        """.formatted(writeKey, keyFile, outFile, writeKey, ingestPort);
  }

  /** The lines printed for each connector run beside the first-run setup. */
  public static String connectorBanner(String id, String topic, String writeKey, int ingestPort) {
    return """
        Connector '%s' reads the raw topic '%s':
          curl -u '%s:' -H 'Content-Type: application/json' \\
            -d '{"event":{"event_type":"signup","user_id":"user-42"}}' http://localhost:%d/v1/topics/%s

        """.formatted(id, topic, writeKey, ingestPort, topic);
  }
}
