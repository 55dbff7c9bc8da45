package dev.herald.bus.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The filter reads the stored bytes with a streaming parser; over generated payloads (duplicate
 * keys, nulls, decoys in nested objects and strings, slices of larger buffers) it decides exactly
 * as reading the whole payload into a {@link JsonObject} does.
 */
class PayloadFieldsTest {

  private static final String[] KEYS = {"All", "all", "Amplitude", "amplitude", "AMP-PROD", "amp-prod", "Mixpanel", "webhook"};
  private static final String[] VALUES = {"true", "false", "null", "{}", "{\"a\":false}", "\"yes\"", "0", "[false]"};

  @Test
  void theStreamingIntegrationsRuleDecidesAsTheParsedPayloadDoesOverGeneratedPayloads() {
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      String json = payload(random);
      Event event = new Event("m", "track", "analytics", "web", "u", Instant.EPOCH, sliceOf(json, random));
      for (String[] dest : new String[][] {{"amp-prod", "amplitude"}, {"hook", "webhook"}, {"x", "mixpanel"}}) {
        assertEquals(referenceRule(new JsonObject(json), dest[0], dest[1]),
            EventFilter.integrationEnabled(event, dest[0], dest[1]), json + " for " + String.join("/", dest));
      }
      Object name = new JsonObject(json).getValue("event");
      assertEquals(name instanceof String s ? s : null, PayloadFields.string(event.payloadBytes(), "event"), json);
    }
  }

  @Test
  void onlyTheTopLevelIntegrationsObjectCountsAndItsLastCopyWins() {
    assertTrue(enabled("{\"properties\":{\"integrations\":{\"All\":false}},\"text\":\"\\\"integrations\\\"\"}"));
    assertFalse(enabled("{\"integrations\":{\"All\":true},\"integrations\":{\"All\":false}}"));
    assertTrue(enabled("{\"integrations\":{\"All\":false},\"integrations\":\"none\"}"));
    assertTrue(enabled("{\"integrations\":{\"amplitude\":null,\"All\":true}}"), "a null names nothing");
    assertFalse(enabled("{\"integrations\":{\"Amplitude\":false,\"amplitude\":null}}"));
  }

  private static boolean enabled(String json) {
    Event event = new Event("m", "track", "analytics", "web", "u", Instant.EPOCH, Buffer.buffer(json));
    return EventFilter.integrationEnabled(event, "amp-prod", "amplitude");
  }

  /** The payload as a slice in the middle of a larger buffer, as the log hands it out. */
  private static Buffer sliceOf(String json, Random random) {
    String before = "x".repeat(random.nextInt(20));
    Buffer whole = Buffer.buffer(before + json + "}garbage");
    return whole.slice(before.length(), before.length() + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  private static String payload(Random random) {
    StringBuilder b = new StringBuilder("{\"type\":\"track\"");
    int fields = random.nextInt(4);
    for (int f = 0; f < fields; f++) {
      switch (random.nextInt(5)) {
        case 0 -> b.append(",\"integrations\":").append(integrations(random));
        case 1 -> b.append(",\"properties\":{\"integrations\":").append(integrations(random)).append(",\"event\":\"nested\"}");
        case 2 -> b.append(",\"event\":").append(random.nextBoolean() ? "\"Order " + random.nextInt(3) + "\"" : VALUES[random.nextInt(VALUES.length)]);
        case 3 -> b.append(",\"integrations\":").append(VALUES[random.nextInt(VALUES.length)]);
        default -> b.append(",\"note\":\"\\\"integrations\\\": {\\\"All\\\": false} ünïcode\"");
      }
    }
    return b.append('}').toString();
  }

  private static String integrations(Random random) {
    StringBuilder b = new StringBuilder("{");
    int entries = random.nextInt(5);
    for (int e = 0; e < entries; e++) {
      if (e > 0) b.append(',');
      b.append('"').append(KEYS[random.nextInt(KEYS.length)]).append("\":").append(VALUES[random.nextInt(VALUES.length)]);
    }
    return b.append('}').toString();
  }

  /** The rule as it read a parsed payload before the filter streamed. */
  private static boolean referenceRule(JsonObject payload, String id, String type) {
    if (!(payload.getValue("integrations") instanceof JsonObject integrations) || integrations.isEmpty()) return true;
    Object byId = lookup(integrations, id);
    if (byId != null) return !Boolean.FALSE.equals(byId);
    Object byType = lookup(integrations, type);
    if (byType != null) return !Boolean.FALSE.equals(byType);
    Object all = lookup(integrations, "All");
    return all == null || !Boolean.FALSE.equals(all);
  }

  private static Object lookup(JsonObject integrations, String key) {
    Object exact = integrations.getValue(key);
    if (exact != null) return exact;
    for (Map.Entry<String, Object> entry : integrations) {
      if (entry.getKey().toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) return entry.getValue();
    }
    return null;
  }
}
