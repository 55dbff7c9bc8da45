package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat JAR killed with SIGKILL after acknowledging events it could not deliver yet: once
 * restarted, it delivers every one of them. Then SIGTERM stops it with status 0.
 */
class HeraldCrashIT {

  private static final int EVENTS = 500;
  private static final String WRITE_KEY = "crash-write-key";

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
    if (child != null && child.process.isAlive()) child.process.destroyForcibly().waitFor();
    vertx.close().await();
  }

  @Test
  void eventsAcknowledgedBeforeAKillAreDeliveredAfterTheRestart() throws Exception {
    Path jar = Path.of(System.getProperty("herald.jar", "target/herald.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat JAR is missing: " + jar);
    int destinationPort = freePort();
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: backend, writeKey: %s }]
        log: { dir: "%s" }
        plugins: { dir: "%s" }
        destinations:
          - id: hook
            type: http
            config: { endpoint: "http://127.0.0.1:%d/events", timeoutMs: 1000 }
            delivery: { batchEvents: 100, lingerMs: 5, retry: { initialBackoff: 100ms, maxBackoff: 500ms }, breaker: { failures: 3, reset: 500ms } }
        """.formatted(WRITE_KEY, dir.resolve("data"), PluginJars.source().toAbsolutePath(), destinationPort));

    child = HeraldProcess.start(jar, config, dir);
    int ingestPort = child.awaitStarted(Duration.ofSeconds(60));
    Set<String> sent = new HashSet<>();
    for (int batch = 0; batch < EVENTS / 50; batch++) {
      JsonArray events = new JsonArray();
      for (int i = 0; i < 50; i++) {
        String id = UUID.randomUUID().toString();
        sent.add(id);
        events.add(new JsonObject().put("type", "track").put("event", "Crash Test").put("userId", "u" + i).put("messageId", id));
      }
      HttpResponse<Buffer> response = client.post(ingestPort, "127.0.0.1", "/v1/batch").basicAuthentication(WRITE_KEY, "")
          .sendJsonObject(new JsonObject().put("batch", events)).await();
      assertEquals(200, response.statusCode(), response.bodyAsString());
    }

    child.process.destroyForcibly();
    assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));

    DestinationServer destination = DestinationServer.start(vertx, destinationPort).await();
    child = HeraldProcess.start(jar, config, dir);
    child.awaitStarted(Duration.ofSeconds(60));
    Polling.until(Duration.ofSeconds(60), () -> destination.received.containsAll(sent),
        () -> destination.received.size() + " of " + sent.size() + " delivered\n" + child.log());
    assertEquals(sent, Set.copyOf(destination.received));

    child.process.destroy();
    assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "Herald did not stop on SIGTERM");
    assertEquals(0, child.process.exitValue(), child.log());
    destination.close().await();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
