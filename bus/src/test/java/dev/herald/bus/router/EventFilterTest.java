package dev.herald.bus.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {

  private static Event event(String type, String topic, String source, JsonObject payload) {
    return new Event("m1", type, topic, source, "user-1", Instant.now(), payload.toBuffer());
  }

  private static Event track(String name) {
    return event("track", "analytics", "web", new JsonObject().put("type", "track").put("event", name));
  }

  private static Event withIntegrations(JsonObject integrations) {
    return event("track", "analytics", "web",
        new JsonObject().put("type", "track").put("event", "X").put("integrations", integrations));
  }

  private static boolean amplitudeAccepts(Event e) {
    return EventFilter.defaults().accepts(e, "amp-prod", "amplitude");
  }

  @Test
  void defaultsTakeEveryAnalyticsEventAndNoRawTopic() {
    EventFilter filter = EventFilter.defaults();
    assertEquals(Set.of("analytics"), filter.topics());
    assertTrue(filter.accepts(track("Anything"), "d", "http"));
    assertFalse(filter.accepts(event(null, "service-events", "web", new JsonObject()), "d", "http"));
  }

  @Test
  void topicsAndSourcesNarrowTheStream() {
    EventFilter filter = new EventFilter(Set.of("service-events"), Set.of("backend"), List.of(), List.of());
    assertTrue(filter.accepts(event(null, "service-events", "backend", new JsonObject()), "d", "http"));
    assertFalse(filter.accepts(event(null, "service-events", "web", new JsonObject()), "d", "http"));
    assertFalse(filter.accepts(event("track", "analytics", "backend", new JsonObject().put("event", "A")), "d", "http"));
  }

  @Test
  void includeAndExcludeGlobsMatchTheEventName() {
    EventFilter filter = new EventFilter(null, null, List.of("Order *", "Signed Up"), List.of("Order Refunded"));
    assertTrue(filter.accepts(track("Order Completed"), "d", "http"));
    assertTrue(filter.accepts(track("Signed Up"), "d", "http"));
    assertFalse(filter.accepts(track("Order Refunded"), "d", "http"), "exclude wins");
    assertFalse(filter.accepts(track("Signed Upx"), "d", "http"), "a glob matches the whole name");
    assertFalse(filter.accepts(track("Big Order Completed"), "d", "http"));
    assertTrue(new EventFilter(null, null, List.of("*.(x)"), List.of()).accepts(track("a.(x)"), "d", "http"),
        "only * is special");
  }

  @Test
  void theEventNameDependsOnTheType() {
    assertEquals("Order Completed", EventFilter.eventName(track("Order Completed")));
    assertEquals("Home", EventFilter.eventName(event("page", "analytics", "web", new JsonObject().put("name", "Home"))));
    assertEquals("screen", EventFilter.eventName(event("screen", "analytics", "web", new JsonObject())));
    assertEquals("identify", EventFilter.eventName(event("identify", "analytics", "web", new JsonObject())));
    assertEquals("signup", EventFilter.eventName(event(null, "service-events", "web", new JsonObject().put("event", "signup"))));
    EventFilter identifiesOnly = new EventFilter(null, null, List.of("identify"), List.of());
    assertTrue(identifiesOnly.accepts(event("identify", "analytics", "web", new JsonObject()), "d", "http"));
    assertFalse(identifiesOnly.accepts(track("identify me"), "d", "http"));
  }

  @Test
  void integrationsFollowSegmentsRule() {
    assertTrue(amplitudeAccepts(withIntegrations(new JsonObject())));
    assertTrue(amplitudeAccepts(withIntegrations(new JsonObject().put("All", false).put("Amplitude", true))),
        "type named, case-insensitively");
    assertTrue(amplitudeAccepts(withIntegrations(new JsonObject().put("All", false).put("amp-prod", true))),
        "id named");
    assertTrue(amplitudeAccepts(withIntegrations(new JsonObject().put("All", false)
        .put("Amplitude", new JsonObject().put("session_id", 123)))), "an object counts as enabled");
    assertFalse(amplitudeAccepts(withIntegrations(new JsonObject().put("All", false))));
    assertFalse(amplitudeAccepts(withIntegrations(new JsonObject().put("Amplitude", false))));
    assertFalse(amplitudeAccepts(withIntegrations(new JsonObject().put("amp-prod", false).put("amplitude", true))),
        "the id decides before the type");
    assertTrue(amplitudeAccepts(withIntegrations(new JsonObject().put("Mixpanel", false))));
    assertFalse(amplitudeAccepts(withIntegrations(new JsonObject().put("all", false).put("Mixpanel", true))));
  }
}
