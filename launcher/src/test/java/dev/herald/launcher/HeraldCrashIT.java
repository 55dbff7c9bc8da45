package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat JAR killed with SIGKILL after acknowledging events it could not deliver yet: once
 * restarted, it delivers every one of them, at least once (a crash may repeat what was in flight;
 * the duplicates are counted in the assertion). Then SIGTERM stops it with status 0.
 */
@ExtendWith(SeededRandom.class)
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
    if (child != null && child.process.isAlive()) child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    await(vertx.close());
  }

  @Test
  void eventsAcknowledgedBeforeAKillAreDeliveredAfterTheRestart(Random random) throws Exception {
    Path jar = Path.of(System.getProperty("herald.jar", "target/herald.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat JAR is missing: " + jar);
    int destinationPort = Ports.free();
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: backend, writeKey: %s }]
        log: { dir: "%s" }
        plugins: { dir: "%s" }
        destinations:
          - id: hook
            type: http
            config: { endpoint: "http://127.0.0.1:%d/events", timeoutMs: 5000 }
            delivery: { batchEvents: 100, lingerMs: 5, retry: { initialBackoff: 100ms, maxBackoff: 500ms }, breaker: { failures: 3, reset: 500ms } }
        """.formatted(WRITE_KEY, dir.resolve("data"), PluginJars.source().toAbsolutePath(), destinationPort));

    child = HeraldProcess.start(jar, config, dir);
    int ingestPort = child.awaitStarted(Duration.ofSeconds(60));
    Set<String> sent = new HashSet<>();
    for (int batch = 0; batch < EVENTS / 50; batch++) {
      JsonArray events = new JsonArray();
      for (int i = 0; i < 50; i++) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        sent.add(id);
        events.add(new JsonObject().put("type", "track").put("event", "Crash Test").put("userId", "u" + i).put("messageId", id));
      }
      HttpResponse<Buffer> response = await(client.post(ingestPort, "127.0.0.1", "/v1/batch")
          .basicAuthentication(WRITE_KEY, "").sendJsonObject(new JsonObject().put("batch", events)));
      assertEquals(200, response.statusCode(), response.bodyAsString());
    }

    child.process.destroyForcibly();
    assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));

    DestinationServer destination = await(DestinationServer.start(vertx, destinationPort));
    child = HeraldProcess.start(jar, config, dir);
    child.awaitStarted(Duration.ofSeconds(60));
    Polling.until(Duration.ofSeconds(60), () -> destination.receivedAll(sent),
        () -> destination.received().size() + " of " + sent.size() + " delivered\n" + child.log());
    destination.assertEachArrivedAtLeastOnce(sent);

    child.process.destroy();
    assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "Herald did not stop on SIGTERM");
    assertEquals(0, child.process.exitValue(), child.log());
    await(destination.close());
  }
}
