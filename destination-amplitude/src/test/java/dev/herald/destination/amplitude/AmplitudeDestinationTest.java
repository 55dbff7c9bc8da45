package dev.herald.destination.amplitude;

import static dev.herald.destination.amplitude.AmplitudeContractTest.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.amplitude.AmplitudeContractServer.Reply;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.SendResult;
import dev.herald.destination.testkit.Await;
import dev.herald.destination.testkit.TestDestinationContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One {@code send} at a time against the contract server: the outcomes the plugin hands the framework. */
@ExtendWith(VertxExtension.class)
class AmplitudeDestinationTest {

  private AmplitudeContractServer amplitude;
  private String baseUrl;
  private final List<TestDestinationContext> contexts = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    amplitude = new AmplitudeContractServer(vertx);
    baseUrl = Await.result(amplitude.start());
  }

  @AfterEach
  void tearDown() {
    contexts.forEach(TestDestinationContext::close);
    Await.result(amplitude.close());
  }

  private Destination destination(Vertx vertx, JsonObject extra) {
    JsonObject config = new JsonObject().put("apiKey", AmplitudeContractServer.API_KEY).put("endpoint", baseUrl).mergeIn(extra);
    TestDestinationContext context = TestDestinationContext.of(vertx, new AmplitudeDestinationFactory(), config);
    contexts.add(context);
    return context.create(new AmplitudeDestinationFactory());
  }

  private static List<Event> events(int n) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < n; i++) events.add(track("user-" + i, "E", i));
    return events;
  }

  private static JsonObject firstEventInvalid() {
    return new JsonObject().put("code", 400).put("error", "Invalid field values on some events")
        .put("events_with_invalid_fields", new JsonObject().put("time", new JsonArray().add(0)));
  }

  @Test
  void aRefusedRemainderIsResentAtMostThreeTimesWithinOneSend(Vertx vertx) {
    amplitude.script(Reply.json(400, firstEventInvalid()), Reply.json(400, firstEventInvalid()),
        Reply.json(400, firstEventInvalid()), Reply.json(400, firstEventInvalid()));
    SendResult result = send(destination(vertx, new JsonObject()), events(6));
    List<SendResult> outcomes = assertInstanceOf(SendResult.Partial.class, result).outcomes();
    for (int i = 0; i < 4; i++) {
      assertEquals("Amplitude 400: invalid value for 'time'", assertInstanceOf(SendResult.Rejected.class, outcomes.get(i)).reason());
    }
    for (int i = 4; i < 6; i++) {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, outcomes.get(i));
      assertFalse(retry.keyThrottled());
    }
    assertEquals(List.of(6, 5, 4, 3), amplitude.requests().stream().map(AmplitudeContractServer.Request::events).toList());
  }

  @Test
  void a429NamingNobodyRetriesTheWholeBatchAfterRetryAfter(Vertx vertx) {
    amplitude.script(Reply.json(429, new JsonObject().put("code", 429).put("error", "Too many requests")).withRetryAfter("7"));
    SendResult result = send(destination(vertx, new JsonObject()), events(3));
    for (SendResult outcome : assertInstanceOf(SendResult.Partial.class, result).outcomes()) {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, outcome);
      assertEquals(Duration.ofSeconds(7), retry.retryAfter());
      assertFalse(retry.keyThrottled(), "nobody named: the destination as a whole is slowed down");
      assertEquals(429, retry.status());
    }
  }

  @Test
  void aThrottledUserIsAnsweredAsAKeyThrottleWithTheConfiguredHold(Vertx vertx) {
    amplitude.throttledDevices.add("device-hot-1");
    List<Event> batch = List.of(
        AmplitudeContractTest.segment("track", new JsonObject().put("event", "E").put("anonymousId", "device-hot-1"), "a"),
        track("user-calm", "E", 1));
    SendResult result = send(destination(vertx, new JsonObject().put("throttleHold", "1234ms")), batch);
    List<SendResult> outcomes = assertInstanceOf(SendResult.Partial.class, result).outcomes();
    SendResult.Retry held = assertInstanceOf(SendResult.Retry.class, outcomes.get(0));
    assertTrue(held.keyThrottled());
    assertEquals(Duration.ofMillis(1234), held.retryAfter());
    assertEquals("Amplitude 429: this user or device is throttled (over 30 events/s)", held.reason());
    assertInstanceOf(SendResult.Delivered.class, outcomes.get(1));
  }

  @Test
  void aGroupCallIsDeliveredOnlyWhenBothItsAmplitudeEventsAre(Vertx vertx) {
    Event group = AmplitudeContractTest.segment("group", new JsonObject().put("userId", "user-7").put("groupId", "acme-1")
        .put("traits", new JsonObject().put("name", "Acme")), "g-1");
    amplitude.script(Reply.json(400, new JsonObject().put("code", 400)
        .put("events_with_invalid_fields", new JsonObject().put("group_properties", new JsonArray().add(2)))));
    SendResult result = send(destination(vertx, new JsonObject()), List.of(track("user-1", "E", 0), group));
    List<SendResult> outcomes = assertInstanceOf(SendResult.Partial.class, result).outcomes();
    assertInstanceOf(SendResult.Delivered.class, outcomes.get(0));
    assertEquals("Amplitude 400: invalid value for 'group_properties'",
        assertInstanceOf(SendResult.Rejected.class, outcomes.get(1)).reason());
    assertEquals(List.of("user-1-0", "g-1"), amplitude.requests().get(1).insertIds(),
        "the $identify half went again; a replay of the dead letter sends both under the same insert_ids");
  }

  @Test
  void anUnexpectedStatusIsASetupErrorAndAnEchoedKeyIsMasked(Vertx vertx) {
    amplitude.script(new Reply(404, "<html>no such path for " + AmplitudeContractServer.API_KEY + "</html>", null, false, false));
    SendResult result = send(destination(vertx, new JsonObject()), events(2));
    for (SendResult outcome : assertInstanceOf(SendResult.Partial.class, result).outcomes()) {
      SendResult.Rejected rejected = assertInstanceOf(SendResult.Rejected.class, outcome);
      assertTrue(rejected.setupError());
      assertEquals(404, rejected.status());
      assertTrue(rejected.reason().startsWith("Amplitude answered 404 (http://127.0.0.1:"), rejected.reason());
      assertFalse(rejected.responseExcerpt().contains(AmplitudeContractServer.API_KEY), rejected.responseExcerpt());
      assertTrue(rejected.responseExcerpt().contains("******"));
    }
  }

  @Test
  void noAnswerIsARetryNamingOnlyTheHost(Vertx vertx) {
    Await.result(amplitude.close());
    SendResult result = send(destination(vertx, new JsonObject()), events(2));
    for (SendResult outcome : assertInstanceOf(SendResult.Partial.class, result).outcomes()) {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, outcome);
      assertTrue(retry.reason().startsWith("connection failed"), retry.reason());
      assertEquals(0, retry.status());
    }
  }

  @Test
  void anAliasSkippedIsDeliveredWithoutARequest(Vertx vertx) {
    Event alias = AmplitudeContractTest.segment("alias", new JsonObject().put("userId", "user-7").put("previousId", "anon-7"), "al-1");
    assertInstanceOf(SendResult.Delivered.class, send(destination(vertx, new JsonObject().put("aliasMode", "skip")), List.of(alias)));
    assertTrue(amplitude.requests().isEmpty());
    assertInstanceOf(SendResult.Delivered.class, send(destination(vertx, new JsonObject()), List.of(alias)));
    assertEquals("anon-7", amplitude.ingestedByInsertId().get("al-1").getString("device_id"));
  }

  @Test
  void theBatchApiAndMinIdLengthAreChosenByConfig(Vertx vertx) {
    List<Event> shortIds = List.of(track("abc", "E", 0), track("abcd", "E", 1));
    SendResult refused = send(destination(vertx, new JsonObject()), shortIds);
    assertInstanceOf(SendResult.Rejected.class, assertInstanceOf(SendResult.Partial.class, refused).outcomes().get(0));
    assertInstanceOf(SendResult.Delivered.class,
        send(destination(vertx, new JsonObject().put("api", "batch").put("minIdLength", 3)), shortIds));
    List<AmplitudeContractServer.Request> requests = amplitude.requests();
    assertEquals("/2/httpapi", requests.get(0).path());
    assertEquals("/batch", requests.get(requests.size() - 1).path());
    assertEquals(Set.of("abc-0", "abcd-1"), amplitude.ingestedByInsertId().keySet());
  }

  private static SendResult send(Destination destination, List<Event> batch) {
    return Await.result(destination.send(batch));
  }
}
