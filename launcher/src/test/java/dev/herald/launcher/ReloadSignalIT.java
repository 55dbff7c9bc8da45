package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP to the fat JAR reloads its config: a destination added to the file starts receiving events. */
@DisabledOnOs(OS.WINDOWS)
class ReloadSignalIT {

  private static final String WRITE_KEY = "signal-write-key";

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private HeraldProcess child;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (child != null && child.process.isAlive()) child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    await(vertx.close());
  }

  private String config(String destinations) {
    return """
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: backend, writeKey: %s }]
        log: { dir: "%s" }
        plugins: { dir: "%s" }
        destinations:
          - { id: first, type: file, config: { path: "%s" } }
        %s""".formatted(WRITE_KEY, dir.resolve("data"), PluginJars.source().toAbsolutePath(), dir.resolve("first.ndjson"),
        destinations);
  }

  @Test
  void sighupReloadsTheConfigFileAndLogsTheOutcome() throws Exception {
    Path jar = Path.of(System.getProperty("herald.jar", "target/herald.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat JAR is missing: " + jar);
    Path config = Files.writeString(dir.resolve("herald.yaml"), config(""));
    child = HeraldProcess.start(jar, config, dir);
    int ingestPort = child.awaitStarted(Duration.ofSeconds(90));

    Path second = dir.resolve("second.ndjson");
    Files.writeString(config, config("  - { id: second, type: file, config: { path: \"" + second + "\" } }\n"));
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(child.process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor());
    Polling.until(Duration.ofSeconds(90), () -> child.log().contains("SIGHUP reload done"),
        () -> "no reload logged:\n" + child.log());
    assertTrue(child.log().contains("\"added\":[\"second\"]"), child.log());
    assertTrue(child.process.isAlive(), "SIGHUP does not stop Herald");

    HttpResponse<Buffer> sent = await(client.post(ingestPort, "127.0.0.1", "/v1/batch").basicAuthentication(WRITE_KEY, "")
        .sendJsonObject(new JsonObject().put("batch", new JsonArray(List.of(new JsonObject().put("type", "track")
            .put("event", "Signal").put("userId", "u").put("messageId", "after-hup"))))));
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    Polling.until(Duration.ofSeconds(60), () -> Files.exists(second) && readQuietly(second).contains("after-hup"),
        () -> "the added destination wrote nothing\n" + child.log());

    child.process.destroy();
    assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "Herald did not stop on SIGTERM");
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
