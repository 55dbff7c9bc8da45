package dev.herald.destination.amplitude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Segment spec to Amplitude, field by field. */
class SegmentMapperTest {

  private static final Instant RECEIVED = Instant.parse("2026-03-01T10:00:00.500Z");

  private final SegmentMapper mapper = new SegmentMapper(config(new JsonObject()));

  static AmplitudeConfig config(JsonObject extra) {
    JsonObject raw = new JsonObject().put("apiKey", "k").mergeIn(extra);
    return AmplitudeConfig.from(new AmplitudeDestinationFactory().configSpec().withDefaults(raw));
  }

  static Event segment(String type, JsonObject payload) {
    payload.put("type", type).put("messageId", payload.getString("messageId", "msg-1"));
    String key = payload.getString("userId", payload.getString("anonymousId", "msg-1"));
    return new Event(payload.getString("messageId"), type, "analytics", "web", key, RECEIVED, payload.toBuffer());
  }

  static Event raw(String messageId, JsonObject payload) {
    return new Event(messageId, null, "service-events", "svc", messageId, RECEIVED, payload.toBuffer());
  }

  private JsonObject single(Event event) {
    SegmentMapper.Mapping mapping = mapper.map(event);
    assertNull(mapping.rejection());
    assertEquals(1, mapping.events().size());
    return json(mapping.events().get(0));
  }

  private static JsonObject json(SegmentMapper.Mapped mapped) {
    return new JsonObject(mapped.json());
  }

  private static List<JsonObject> all(SegmentMapper.Mapping mapping) {
    assertNull(mapping.rejection());
    return mapping.events().stream().map(SegmentMapperTest::json).toList();
  }

  private static final JsonObject CONTEXT = new JsonObject()
      .put("ip", "203.0.113.7")
      .put("locale", "en-GB")
      .put("userAgent", "Mozilla/5.0")
      .put("app", new JsonObject().put("version", "4.2.0"))
      .put("os", new JsonObject().put("name", "iOS").put("version", "17.4"))
      .put("device", new JsonObject().put("model", "iPhone15,2").put("manufacturer", "Apple").put("type", "ios")
          .put("advertisingId", "AEBE52E7-03EE-455A-B3C4-E57283966239"))
      .put("location", new JsonObject().put("country", "France").put("region", "IDF").put("city", "Paris")
          .put("latitude", 48.85).put("longitude", 2.35))
      .put("network", new JsonObject().put("carrier", "Orange"))
      .put("library", new JsonObject().put("name", "analytics-java").put("version", "3.5.4"));

  @Test
  void trackMapsNamePropertiesIdsTimeInsertIdContextAndRevenue() {
    JsonObject properties = new JsonObject().put("revenue", 42.5).put("price", 21.25).put("quantity", 2)
        .put("productId", "sku-9").put("revenueType", "purchase").put("plan", "pro");
    JsonObject out = single(segment("track", new JsonObject()
        .put("event", "Order Completed").put("userId", "user-42").put("anonymousId", "anon-42")
        .put("messageId", "m-42").put("timestamp", "2026-03-01T11:00:00.250+01:00")
        .put("properties", properties).put("context", CONTEXT)
        .put("integrations", new JsonObject().put("Amplitude", new JsonObject().put("session_id", 1709283600000L)))));
    assertEquals("Order Completed", out.getString("event_type"));
    assertEquals(properties, out.getJsonObject("event_properties"));
    assertEquals("user-42", out.getString("user_id"));
    assertEquals("anon-42", out.getString("device_id"));
    assertEquals(Instant.parse("2026-03-01T10:00:00.250Z").toEpochMilli(), out.getLong("time"));
    assertEquals("m-42", out.getString("insert_id"));
    assertEquals(1709283600000L, out.getLong("session_id"));
    assertEquals("203.0.113.7", out.getString("ip"));
    assertEquals("en-GB", out.getString("language"));
    assertEquals("4.2.0", out.getString("app_version"));
    assertEquals("iOS", out.getString("os_name"));
    assertEquals("17.4", out.getString("os_version"));
    assertEquals("iPhone15,2", out.getString("device_model"));
    assertEquals("Apple", out.getString("device_manufacturer"));
    assertEquals("ios", out.getString("platform"));
    assertEquals("AEBE52E7-03EE-455A-B3C4-E57283966239", out.getString("idfa"));
    assertEquals("France", out.getString("country"));
    assertEquals("IDF", out.getString("region"));
    assertEquals("Paris", out.getString("city"));
    assertEquals(48.85, out.getDouble("location_lat"));
    assertEquals("Orange", out.getString("carrier"));
    assertEquals("analytics-java/3.5.4", out.getString("library"));
    assertEquals(42.5, out.getDouble("revenue"));
    assertEquals(21.25, out.getDouble("price"));
    assertEquals(2, out.getLong("quantity"));
    assertEquals("sku-9", out.getString("productId"));
    assertEquals("purchase", out.getString("revenueType"));
  }

  @Test
  void withoutATimestampTheTimeIsWhenHeraldReceivedTheEvent() {
    JsonObject out = single(segment("track", new JsonObject().put("event", "E").put("userId", "user-1")));
    assertEquals(RECEIVED.toEpochMilli(), out.getLong("time"));
    assertFalse(out.containsKey("revenue"));
    assertFalse(out.containsKey("event_properties"));
  }

  @Test
  void identifySetsTraitsAsUserProperties() {
    JsonObject traits = new JsonObject().put("email", "ada@example.com").put("plan", "pro");
    JsonObject out = single(segment("identify", new JsonObject().put("userId", "user-7").put("traits", traits)));
    assertEquals("$identify", out.getString("event_type"));
    assertEquals(new JsonObject().put("$set", traits), out.getJsonObject("user_properties"));
    assertEquals("user-7", out.getString("user_id"));
  }

  @Test
  void anIdentifyWithTraitsOnlyInContextSetsThoseAsUserProperties() {
    // RudderStack's browser SDK sends an identify's traits only as context.traits.
    JsonObject traits = new JsonObject().put("email", "ada@example.com").put("plan", "pro");
    JsonObject context = new JsonObject().put("traits", traits).put("locale", "en-GB");
    JsonObject out = single(segment("identify", new JsonObject().put("userId", "user-7").put("context", context)));
    assertEquals(new JsonObject().put("$set", traits), out.getJsonObject("user_properties"));
    assertEquals("en-GB", out.getString("language"));

    JsonObject own = new JsonObject().put("plan", "team");
    JsonObject both = single(segment("identify", new JsonObject().put("userId", "user-7").put("traits", own)
        .put("context", context.copy())));
    assertEquals(new JsonObject().put("$set", own), both.getJsonObject("user_properties"), "top-level traits win");
  }

  @Test
  void pagesAndScreensAreViewedEventsNamedAfterThem() {
    JsonObject props = new JsonObject().put("url", "https://example.com/pricing");
    JsonObject page = single(segment("page", new JsonObject().put("userId", "user-7").put("name", "Pricing").put("properties", props)));
    assertEquals("Viewed Pricing Page", page.getString("event_type"));
    assertEquals(props, page.getJsonObject("event_properties"));
    assertEquals("Viewed Page", single(segment("page", new JsonObject().put("userId", "user-7"))).getString("event_type"));
    JsonObject screen = single(segment("screen", new JsonObject().put("anonymousId", "anon-7")
        .put("properties", new JsonObject().put("name", "Checkout"))));
    assertEquals("Viewed Checkout Screen", screen.getString("event_type"));
    SegmentMapper custom = new SegmentMapper(config(new JsonObject().put("pageEventName", "Page: {name}")));
    assertEquals("Page: Home", all(custom.map(segment("page", new JsonObject().put("userId", "user-7").put("name", "Home"))))
        .get(0).getString("event_type"));
  }

  @Test
  void groupPutsTheUserInTheGroupAndSetsGroupProperties() {
    JsonObject traits = new JsonObject().put("name", "Acme").put("employees", 120).put("kind", "company");
    Event event = segment("group", new JsonObject().put("userId", "user-7").put("groupId", "acme-1")
        .put("messageId", "g-1").put("traits", traits));
    List<JsonObject> out = all(mapper.map(event));
    assertEquals(2, out.size());
    JsonObject membership = out.get(0);
    assertEquals("$identify", membership.getString("event_type"));
    assertEquals(new JsonObject().put("group", "acme-1"), membership.getJsonObject("groups"));
    assertEquals(new JsonObject().put("$set", new JsonObject().put("group", "acme-1")), membership.getJsonObject("user_properties"));
    assertEquals("g-1", membership.getString("insert_id"));
    JsonObject properties = out.get(1);
    assertEquals("$groupidentify", properties.getString("event_type"));
    assertEquals(new JsonObject().put("group", "acme-1"), properties.getJsonObject("groups"));
    assertEquals(new JsonObject().put("$set", traits), properties.getJsonObject("group_properties"));
    assertEquals("g-1-group", properties.getString("insert_id"));

    SegmentMapper byTrait = new SegmentMapper(config(new JsonObject().put("groupTypeTrait", "kind")));
    assertEquals(new JsonObject().put("company", "acme-1"), all(byTrait.map(event)).get(1).getJsonObject("groups"));
    assertEquals(1, mapper.map(segment("group", new JsonObject().put("userId", "user-7").put("groupId", "x-1")))
        .events().size(), "no traits: no $groupidentify");
  }

  @Test
  void aliasJoinsThePreviousIdToTheUserOrIsSkipped() {
    Event alias = segment("alias", new JsonObject().put("userId", "user-7").put("previousId", "anon-7"));
    JsonObject out = single(alias);
    assertEquals("$identify", out.getString("event_type"));
    assertEquals("user-7", out.getString("user_id"));
    assertEquals("anon-7", out.getString("device_id"));
    SegmentMapper skipping = new SegmentMapper(config(new JsonObject().put("aliasMode", "skip")));
    SegmentMapper.Mapping skipped = skipping.map(alias);
    assertNull(skipped.rejection());
    assertTrue(skipped.events().isEmpty());
  }

  @Test
  void amplitudeShapedRawRecordsPassThroughWithAnInsertId() {
    JsonObject own = new JsonObject().put("event_type", "signup").put("user_id", "user-42").put("api_key", "other");
    JsonObject out = single(raw("r-1", own));
    assertEquals(new JsonObject().put("event_type", "signup").put("user_id", "user-42").put("insert_id", "r-1"), out);
    JsonObject keeps = single(raw("r-2", new JsonObject().put("event_type", "x").put("device_id", "dev-12345").put("insert_id", "mine")));
    assertEquals("mine", keeps.getString("insert_id"));

    JsonObject body = new JsonObject().put("api_key", "other").put("events", new JsonArray()
        .add(new JsonObject().put("event_type", "a").put("user_id", "user-1"))
        .add(new JsonObject().put("event_type", "b").put("user_id", "user-1")));
    List<JsonObject> events = all(mapper.map(raw("r-3", body)));
    assertEquals(List.of("r-3-0", "r-3-1"), events.stream().map(e -> e.getString("insert_id")).toList());
  }

  @Test
  void textIsEscapedAndStoredJsonIsCopiedIntactWhateverItHolds() {
    JsonObject properties = new JsonObject().put("quote", "say \"hi\"\n").put("unicode", "é ✓ 😀")
        .put("nested", new JsonObject().put("list", new JsonArray().add(1).add("two").add(new JsonObject())));
    JsonObject out = single(segment("track", new JsonObject().put("event", "Clicked \"Buy\" ✓").put("userId", "usér\\42")
        .put("properties", properties).put("context", new JsonObject().put("ip", 42).put("app", "not an object")
            .put("library", new JsonObject().put("name", "analytics.js")))
        .put("integrations", new JsonObject().put("AMPLITUDE", new JsonObject().put("session_id", 17)
            .put("groups", new JsonObject().put("org", "o-1"))))));
    assertEquals("Clicked \"Buy\" ✓", out.getString("event_type"));
    assertEquals("usér\\42", out.getString("user_id"));
    assertEquals(properties, out.getJsonObject("event_properties"));
    assertFalse(out.containsKey("ip"), "a non-string ip is left out");
    assertFalse(out.containsKey("app_version"));
    assertEquals("analytics.js", out.getString("library"));
    assertEquals(17, out.getLong("session_id"));
    assertEquals(new JsonObject().put("org", "o-1"), out.getJsonObject("groups"));
  }

  @Test
  void numbersAreSentAsWrittenWhateverTheirSize() {
    // Only quantity and session_id are read as integers; a revenue beyond a long's range used to
    // fail the whole event as "not a JSON object".
    Event event = new Event("m-big", "track", "analytics", "web", "user-1", RECEIVED, io.vertx.core.buffer.Buffer.buffer(
        "{\"type\":\"track\",\"event\":\"Big\",\"userId\":\"user-1\",\"properties\":{\"revenue\":1.5e300,"
            + "\"price\":123456789012345678901234567890,\"quantity\":2.9},\"context\":{\"location\":{\"latitude\":-0.000001}}}"));
    SegmentMapper.Mapping mapping = mapper.map(event);
    assertNull(mapping.rejection());
    String json = mapping.events().get(0).json().toString();
    assertTrue(json.contains("\"revenue\":1.5e300,\"price\":123456789012345678901234567890,\"quantity\":2}"), json);
    assertTrue(json.contains("\"location_lat\":-0.000001"), json);
  }

  @Test
  void recordsWithNoMappingAreRejectedWithAReason() {
    assertEquals("a raw record that is neither an Amplitude event (no event_type) nor a Segment event (no type)",
        mapper.map(raw("r-9", new JsonObject().put("hello", "world"))).rejection());
    assertEquals("a track event without an event name",
        mapper.map(segment("track", new JsonObject().put("userId", "user-1"))).rejection());
    JsonObject segmentShapedRaw = new JsonObject().put("type", "track").put("event", "Raw Track").put("userId", "user-1");
    assertEquals("Raw Track", single(raw("r-10", segmentShapedRaw)).getString("event_type"));
  }
}
