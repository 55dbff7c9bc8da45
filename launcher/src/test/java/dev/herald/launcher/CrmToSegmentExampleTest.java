package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/crm-to-segment.yaml} as written, but for its ports, folders and Segment's URL,
 * which point at a second Herald standing in for Segment: a CRM's "contact updated" webhook posted
 * to the raw topic arrives there as a valid identify call, under the record's stored messageId.
 */
@ExtendWith(VertxExtension.class)
class CrmToSegmentExampleTest {

  private static final String CRM_KEY = "crm-webhook-key";
  private static final String SEGMENT_KEY = "segment-write-key-for-crm";

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private Herald herald;
  private Herald segment;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    client = WebClient.create(vertx);
    ReceivingHerald.copyPlugins(dir);
  }

  @AfterEach
  void tearDown() {
    if (herald != null) herald.stop().await();
    if (segment != null) segment.stop().await();
    client.close();
  }

  /** The example with each of these replaced (each must be in it once, so the test follows the file). */
  private String example(Map<String, String> replacements) throws Exception {
    String yaml = Files.readString(Path.of("../examples/crm-to-segment.yaml"));
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      int at = yaml.indexOf(r.getKey());
      assertTrue(at >= 0 && yaml.indexOf(r.getKey(), at + 1) < 0, "'" + r.getKey() + "' once in the example");
      yaml = yaml.replace(r.getKey(), r.getValue());
    }
    return yaml;
  }

  private int postRecord(String idempotencyKey, JsonObject record) {
    return Polling.await(client.post(herald.ingestPort(), "127.0.0.1", "/v1/topics/crm-updates")
        .basicAuthentication(CRM_KEY, "").putHeader("Idempotency-Key", idempotencyKey).sendJsonObject(record)).statusCode();
  }

  @Test
  void aContactUpdatedWebhookArrivesAsAValidIdentifyUnderTheRecordsMessageId() throws Exception {
    int segmentPort = Ports.free();
    segment = ReceivingHerald.start(vertx, dir, segmentPort, SEGMENT_KEY);
    String yaml = example(Map.of(
        "port: 8080", "port: " + Ports.free(),
        "port: 8081", "port: 0",
        "dir: ./data", "dir: \"" + dir.resolve("crm-data") + "\"",
        "dir: ./plugins", "dir: \"" + dir.resolve("plugins") + "\"",
        "endpoint: https://api.segment.io", "endpoint: http://127.0.0.1:" + segmentPort));
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("CRM_WEBHOOK_KEY", CRM_KEY, "SEGMENT_WRITE_KEY", SEGMENT_KEY)::get))
        .load(Files.writeString(dir.resolve("crm-to-segment.yaml"), yaml));
    assertEquals(List.of(), loaded.problems());
    herald = Polling.await(Herald.start(vertx, loaded));

    String occurredAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
    JsonObject contactUpdated = new JsonObject().put("event", "contact.updated").put("occurredAt", occurredAt)
        .put("contact", new JsonObject().put("id", "c-1042").put("email", "Ada@Example.com").put("firstName", "Ada")
            .put("lastName", "Lovelace").put("company", "Analytical Engines").put("lifecycleStage", "customer"));
    assertEquals(200, postRecord("crm-delivery-1", contactUpdated));
    assertEquals(200, postRecord("crm-delivery-1", contactUpdated), "the CRM's retry of the same delivery");
    JsonObject noContactId = new JsonObject().put("event", "contact.updated").put("occurredAt", occurredAt)
        .put("contact", new JsonObject().put("email", "nobody@example.com"));
    assertEquals(200, postRecord("crm-delivery-2", noContactId));

    Polling.until(Duration.ofSeconds(60), () -> ReceivingHerald.received(dir).containsKey("crm-delivery-1"),
        () -> "no identify at the receiver; " + herald.router().statuses());
    JsonObject identify = ReceivingHerald.received(dir).get("crm-delivery-1").get(0);
    assertEquals("identify", identify.getString("type"), identify.encode());
    assertEquals("c-1042", identify.getString("userId"));
    assertEquals(new JsonObject().put("email", "ada@example.com").put("firstName", "Ada").put("lastName", "Lovelace")
        .put("company", new JsonObject().put("name", "Analytical Engines")).put("lifecycleStage", "customer"),
        identify.getJsonObject("traits"));
    assertEquals(occurredAt, identify.getString("originalTimestamp"), "the CRM's time is the call's");

    Polling.until(Duration.ofSeconds(30), () -> herald.router().statuses().get(0).lag() == 0,
        () -> "lag: " + herald.router().statuses());
    List<DeadLetter> letters = Polling.await(herald.router().deadLetters("segment-identify").orElseThrow()
        .list(DeadLetterQuery.firstPage()));
    assertEquals(1, letters.size(), letters.toString());
    assertEquals("crm-delivery-2", letters.get(0).messageId());
    assertTrue(letters.get(0).reason().contains("an identify call needs a userId or an anonymousId"), letters.get(0).reason());
    Polling.until(Duration.ofSeconds(30), () -> segment.router().statuses().get(0).lag() == 0,
        () -> "receiver lag: " + segment.router().statuses());
    assertEquals(List.of("crm-delivery-1"), List.copyOf(ReceivingHerald.received(dir).keySet()),
        "one identify, once: the retried webhook was stored once");
  }
}
