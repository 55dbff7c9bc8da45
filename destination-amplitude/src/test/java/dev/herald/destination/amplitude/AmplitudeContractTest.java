package dev.herald.destination.amplitude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import dev.herald.destination.testkit.Await;
import dev.herald.destination.testkit.DeadLetterSnapshot;
import dev.herald.destination.testkit.Delivery;
import dev.herald.destination.testkit.DestinationHarness;
import dev.herald.destination.testkit.RunnerSnapshot;
import dev.herald.destination.testkit.RunningDestination;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One test per row of Amplitude's answers: the plugin runs inside Herald's real runner reading a
 * real embedded log (the testkit's harness), against the {@link AmplitudeContractServer}; each test checks which
 * events arrived, which were dead-lettered and why, and that no event arrived under a second insert_id.
 */
@ExtendWith(VertxExtension.class)
class AmplitudeContractTest {

  private static final String RAW_TOPIC = "amp-raw";

  private AmplitudeContractServer amplitude;
  private String baseUrl;
  private RunningDestination run;

  @BeforeEach
  void setUp(Vertx vertx) {
    amplitude = new AmplitudeContractServer(vertx);
    baseUrl = Await.result(amplitude.start());
  }

  @AfterEach
  void tearDown() {
    if (run != null) run.close();
    Await.result(amplitude.close());
  }

  // ---- what every destination owes the framework ----

  @Test
  void keepsTheHttpDestinationContract() {
    DestinationHarness.of(new AmplitudeDestinationFactory())
        .config(server -> new JsonObject().put("apiKey", AmplitudeContractServer.API_KEY).put("endpoint", server.url())
            .put("timeoutMs", 3_000))
        .checkHttpContract();
  }

  // ---- the rows ----

  @Test
  void okIsDelivered(Vertx vertx) {
    RunningDestination runner = start(vertx, new JsonObject(), policy(20, 30));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) events.add(track("user-" + (i % 5), "Song Played", i));
    runner.append(events);

    Await.until(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    assertArrivedExactly(ids(events));
    JsonObject first = amplitude.ingestedByInsertId().get("user-0-0");
    assertEquals("Song Played", first.getString("event_type"));
    assertEquals("user-0", first.getString("user_id"));
    assertEquals(0, first.getJsonObject("event_properties").getInteger("seq"));
    assertEquals(events.get(0).receivedAt().toEpochMilli(), first.getLong("time"));
    assertTrue(amplitude.requests().stream().allMatch(r -> r.status() == 200 && r.path().equals("/2/httpapi")));
    assertEquals(0, deadLetters().size());
    assertEquals(50, runner.status().delivered());
  }

  @Test
  void badEventsOfA400AreDeadLetteredWithAmplitudesReasonAndTheRestIsSentAgain(Vertx vertx) {
    amplitude.silencedDevices.add("silenced-device-1");
    RunningDestination runner = start(vertx, new JsonObject(), policy(20, 30, 1));
    List<Event> good = List.of(track("user-1", "Fine", 0), track("user-2", "Fine", 1), track("user-1", "Fine", 2));
    Event shortId = track("abc", "Short Id", 3);
    Event badTime = raw("raw-time", new JsonObject().put("event_type", "Raw").put("user_id", "raw-user-1").put("time", "yesterday"));
    Event noType = raw("raw-notype", new JsonObject().put("events", new JsonArray().add(new JsonObject().put("user_id", "raw-user-2"))));
    Event silenced = segment("track", new JsonObject().put("event", "Muted").put("anonymousId", "silenced-device-1"), "muted-1");
    Event reserved = track("user-3", "[Amplitude] Revenue", 4);
    List<Event> all = List.of(good.get(0), shortId, badTime, good.get(1), noType, silenced, reserved, good.get(2));
    runner.append(all);

    Await.until(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    assertArrivedExactly(ids(good));
    Map<String, DeadLetterSnapshot> letters = deadLetters();
    assertEquals(Map.of(
        "abc-3", "Amplitude 400: 'user_id' shorter than the minimum id length",
        "raw-time", "Amplitude 400: invalid value for 'time'",
        "raw-notype", "Amplitude 400: missing required field 'event_type'",
        "muted-1", "Amplitude 400: silenced by Amplitude",
        "user-3-4", "Amplitude 400: invalid value for 'event_type'"), reasons(letters));
    for (DeadLetterSnapshot letter : letters.values()) {
      assertEquals(400, letter.status());
      assertTrue(letter.responseExcerpt().contains("\"code\":400"), letter.responseExcerpt());
    }
    List<AmplitudeContractServer.Request> requests = amplitude.requests();
    assertEquals(List.of(400, 200), requests.stream().map(AmplitudeContractServer.Request::status).toList(),
        "the rest went again at once, within the same send");
    assertEquals(3, requests.get(1).events());
    RunnerSnapshot status = runner.status();
    assertEquals(3, status.delivered());
    assertEquals(5, status.rejected());
    assertEquals(0, status.retried());
  }

  @Test
  void anInvalidApiKeyIsASetupErrorThatParksAsMisconfiguredAndKeepsEveryEvent(Vertx vertx) {
    RunningDestination runner = start(vertx, new JsonObject().put("apiKey", "not-the-key-42"), parkingPolicy());
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) events.add(track("user-" + (i % 3), "E", i));
    runner.append(events);

    Await.until(() -> "misconfigured: " + runner.status(), () -> runner.status().state().equals("MISCONFIGURED"));
    RunnerSnapshot status = runner.status();
    assertEquals("OPEN", status.breaker(), "opened by one setup error, not after 5 failures");
    assertEquals("setup error: Amplitude 400: invalid API key", status.lastError());
    assertFalse(status.lastError().contains("not-the-key-42"), "the key never shows");
    assertEquals(30, status.lag(), "every event waits for the fix, the refused batch too");
    assertEquals(0, status.deadLettered());
    assertEquals(0, deadLetters().size());
    assertEquals(1, amplitude.requests().size());
    assertTrue(amplitude.ingested().isEmpty());
  }

  @Test
  void aMissingFieldIsASetupErrorThatParksAsMisconfiguredAndKeepsEveryEvent(Vertx vertx) {
    amplitude.script(AmplitudeContractServer.Reply.json(400, new JsonObject().put("code", 400)
        .put("error", "Request missing required field").put("missing_field", "api_key")));
    RunningDestination runner = start(vertx, new JsonObject(), parkingPolicy());
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 15; i++) events.add(track("user-" + (i % 3), "E", i));
    runner.append(events);

    Await.until(() -> "misconfigured: " + runner.status(), () -> runner.status().state().equals("MISCONFIGURED"));
    assertEquals("setup error: Amplitude 400: the request misses 'api_key'", runner.status().lastError());
    assertEquals(15, runner.status().lag());
    assertEquals(0, runner.status().deadLettered());
    assertEquals(0, deadLetters().size());
  }

  @Test
  void a413SplitsTheRequestInHalvesAndASingleEventTooLargeIsRejected(Vertx vertx) {
    amplitude.maxBodyBytesV2 = 2_500; // a small Amplitude: the plugin believes 1 MB, Amplitude says 413
    RunningDestination runner = start(vertx, new JsonObject(), policy(20, 30, 1));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      events.add(track("user-" + (i % 4), "Padded", i, new JsonObject().put("pad", "x".repeat(150))));
    }
    Event huge = track("user-9", "Huge", 99, new JsonObject().put("pad", "y".repeat(3_000)));
    events.add(8, huge);
    runner.append(events);

    Await.until(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    List<Event> fine = new ArrayList<>(events);
    fine.remove(huge);
    assertArrivedExactly(ids(fine));
    assertEquals(Map.of("user-9-99", "Amplitude 413: the event alone is too large"), reasons(deadLetters()));
    List<AmplitudeContractServer.Request> requests = amplitude.requests();
    assertTrue(requests.stream().filter(r -> r.status() == 413).count() >= 3, "split more than once: " + requests);
    for (AmplitudeContractServer.Request r : requests) {
      if (r.status() == 200) assertTrue(r.bodyBytes() < 2_500);
    }
    assertEquals(0, runner.status().retried(), "splitting is not retrying");
    assertEquals(1, requests.stream().filter(r -> r.events() == 17).count(), "the first request had all 17");
  }

  @Test
  void a429RejectsUsersOverQuotaHoldsThrottledUsersAndLetsEveryoneElseFlow(Vertx vertx) {
    // Long enough for everyone else to flow while hot-user is held, even on a busy machine.
    long holdMs = 5_000;
    amplitude.throttledUsers.add("hot-user");
    amplitude.quotaUsers.add("spent-user");
    RunningDestination runner = start(vertx, new JsonObject().put("throttleHold", holdMs + "ms"), policy(10, 1000));
    List<Event> first = new ArrayList<>();
    String[] users = {"hot-user", "calm-user-1", "spent-user", "hot-user", "calm-user-2", "calm-user-3"};
    for (int i = 0; i < users.length; i++) first.add(track(users[i], "E", i));
    runner.append(first);
    Await.until(() -> "a 429", () -> amplitude.requests().stream().anyMatch(r -> r.status() == 429));
    long throttledAt = amplitude.requests().stream().filter(r -> r.status() == 429).findFirst().orElseThrow().atNanos();
    // While hot-user is held: its new event queues behind it, everyone else goes straight through.
    List<Event> second = new ArrayList<>();
    for (int i = 6; i < 26; i++) second.add(track(i == 15 ? "hot-user" : "calm-user-" + (i % 5), "E", i));
    runner.append(second);
    Await.until(() -> "calm users through", () -> amplitude.ingested().size() == 22);
    amplitude.throttledUsers.clear(); // Amplitude lets hot-user in again

    Await.until(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    List<Event> expected = new ArrayList<>(first);
    expected.addAll(second);
    expected.removeIf(e -> e.partitionKey().equals("spent-user"));
    assertArrivedExactly(ids(expected));
    assertEquals(Map.of("spent-user-2", "Amplitude 429: the daily quota of this user is exceeded"), reasons(deadLetters()));
    assertEquals(429, deadLetters().get("spent-user-2").status());

    List<String> arrivalOrder = new ArrayList<>(amplitude.ingestedByInsertId().keySet());
    assertEquals(List.of("hot-user-0", "hot-user-3", "hot-user-15"), arrivalOrder.subList(22, 25),
        "hot-user last, in its own order");
    long hotArrivedAt = amplitude.requests().stream().filter(r -> r.status() == 200 && r.insertIds().contains("hot-user-0"))
        .findFirst().orElseThrow().atNanos();
    assertTrue((hotArrivedAt - throttledAt) / 1_000_000 >= holdMs - 10, "held for the throttle hold");
    // The others did not wait for it: all 22 arrived while hot-user was still refused (see above).
    assertEquals("CLOSED", runner.status().breaker());
  }

  @Test
  void serverErrorsTimeoutsAndResetsAreRetriedUntilDelivered(Vertx vertx) {
    amplitude.script(AmplitudeContractServer.Reply.status(500), AmplitudeContractServer.Reply.status(502),
        AmplitudeContractServer.Reply.status(504), AmplitudeContractServer.Reply.reset(),
        AmplitudeContractServer.Reply.hang());
    // A hung request times out after 3 s; an answered one never comes near that, even on a busy machine.
    RunningDestination runner = start(vertx, new JsonObject().put("timeoutMs", 3_000), policy(10, 1000, 1));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) events.add(track("user-" + (i % 2), "E", i));
    runner.append(events);

    Await.until(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    assertArrivedExactly(ids(events));
    assertEquals(0, deadLetters().size());
    assertEquals(List.of(500, 502, 504, 0, 0, 200),
        amplitude.requests().stream().map(AmplitudeContractServer.Request::status).toList());
    assertEquals(50, runner.status().retried(), "5 failed sends of the same 10 events");
  }

  @Test
  void a503IsRetried(Vertx vertx) {
    amplitude.script(AmplitudeContractServer.Reply.status(503), AmplitudeContractServer.Reply.status(503));
    RunningDestination runner = start(vertx, new JsonObject(), policy(10, 1000, 1));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) events.add(track("user-" + (i % 2), "E", i));
    runner.append(events);

    Await.until(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    assertArrivedExactly(ids(events));
    assertEquals(0, deadLetters().size());
    assertEquals(List.of(503, 503, 200), amplitude.requests().stream().map(AmplitudeContractServer.Request::status).toList());
    assertTrue(runner.status().lastError().contains("Amplitude answered 503"), runner.status().lastError());
  }

  // ---- plumbing ----

  private RunningDestination start(Vertx vertx, JsonObject extraConfig, UnaryOperator<Delivery> policy) {
    JsonObject config = new JsonObject().put("apiKey", AmplitudeContractServer.API_KEY).put("endpoint", baseUrl)
        .mergeIn(extraConfig);
    run = DestinationHarness.of(new AmplitudeDestinationFactory()).config(config).topics("analytics", RAW_TOPIC)
        .delivery(policy).start();
    return run;
  }

  /** Two lanes unless a test needs a single one to know the order of requests. */
  private static UnaryOperator<Delivery> policy(int batchEvents, int breakerFailures) {
    return policy(batchEvents, breakerFailures, 2);
  }

  private static UnaryOperator<Delivery> policy(int batchEvents, int breakerFailures, int lanes) {
    return d -> d.batchEvents(batchEvents).lanes(lanes).breaker(breakerFailures, Duration.ofMillis(150))
        .sendTimeout(Duration.ofSeconds(30));
  }

  /** One lane, 10-event batches, and a breaker that stays open long enough to look at. */
  private static UnaryOperator<Delivery> parkingPolicy() {
    return d -> d.batchEvents(10).lanes(1).breaker(5, Duration.ofSeconds(30)).sendTimeout(Duration.ofSeconds(30));
  }

  static Event track(String userId, String name, int seq) {
    return track(userId, name, seq, new JsonObject());
  }

  static Event track(String userId, String name, int seq, JsonObject properties) {
    return segment("track", new JsonObject().put("event", name).put("userId", userId)
        .put("properties", properties.copy().put("seq", seq)), userId + "-" + seq);
  }

  static Event segment(String type, JsonObject payload, String messageId) {
    payload.put("type", type).put("messageId", messageId);
    String key = payload.getString("userId", payload.getString("anonymousId", messageId));
    return new Event(messageId, type, "analytics", "web", key, Instant.now(), payload.toBuffer());
  }

  private static Event raw(String messageId, JsonObject payload) {
    return new Event(messageId, null, RAW_TOPIC, "svc", messageId, Instant.now(), payload.toBuffer());
  }

  private static Set<String> ids(List<Event> events) {
    Set<String> ids = new HashSet<>();
    for (Event e : events) ids.add(e.messageId());
    return ids;
  }

  /**
   * Exactly these insert_ids reached Amplitude, each in exactly one accepted request: nothing
   * lost, nothing twice, and never under another insert_id.
   */
  private void assertArrivedExactly(Set<String> insertIds) {
    assertEquals(insertIds, amplitude.ingestedByInsertId().keySet());
    for (String id : insertIds) assertEquals(1, amplitude.arrivals(id), "arrivals of " + id);
  }

  private Map<String, DeadLetterSnapshot> deadLetters() {
    Map<String, DeadLetterSnapshot> byId = new LinkedHashMap<>();
    for (DeadLetterSnapshot letter : run.deadLetters()) byId.put(letter.messageId(), letter);
    return byId;
  }

  private static Map<String, String> reasons(Map<String, DeadLetterSnapshot> letters) {
    Map<String, String> out = new LinkedHashMap<>();
    letters.forEach((id, letter) -> out.put(id, letter.reason()));
    return out;
  }
}
