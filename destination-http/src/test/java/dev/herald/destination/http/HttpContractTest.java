package dev.herald.destination.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import dev.herald.destination.testkit.Await;
import dev.herald.destination.testkit.DestinationHarness;
import dev.herald.destination.testkit.Reply;
import dev.herald.destination.testkit.RunningDestination;
import dev.herald.destination.testkit.ScriptedServer;
import dev.herald.destination.testkit.TestEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The http destination inside Herald's real runner, against a scripted server on 127.0.0.1. */
class HttpContractTest {

  private static DestinationHarness harness(JsonObject extra) {
    return DestinationHarness.of(new HttpDestinationFactory())
        .config(server -> new JsonObject().put("endpoint", server.url("/in")).put("timeoutMs", 3_000).mergeIn(extra));
  }

  @Test
  void keepsTheHttpDestinationContract() {
    harness(new JsonObject()).checkHttpContract();
  }

  @Test
  void keepsTheContractWithSmallConfiguredLimits() {
    harness(new JsonObject().put("maxEvents", 20).put("maxBytes", "2KB")).checkContract();
  }

  @Test
  void everyEventArrivesOnceInLogOrderInRequestsWithinTheConfiguredLimits() {
    try (RunningDestination run = harness(new JsonObject().put("maxEvents", 20)).delivery(d -> d.batchEvents(1_000)).start()) {
      List<Event> events = TestEvents.tracks(101, 7);
      run.append(events).awaitSettled();

      List<String> arrived = new ArrayList<>();
      for (ScriptedServer.Request request : run.server().requests()) {
        JsonArray batch = request.bodyAsJsonArray();
        assertTrue(batch.size() <= 20, request + " carries " + batch.size() + " events");
        for (int i = 0; i < batch.size(); i++) arrived.add(batch.getJsonObject(i).getString("messageId"));
      }
      assertEquals(events.stream().map(Event::messageId).toList(), arrived);
      assertEquals(101, run.status().delivered());
    }
  }

  @Test
  void aBacklogMeetingA401WaitsAsMisconfiguredWithoutADeadLetterAndIsDeliveredOnceWhenFixed() {
    try (RunningDestination run = harness(new JsonObject().put("maxEvents", 100))
        .delivery(d -> d.batchEvents(100).breaker(1_000, Duration.ofMillis(200))).start()) {
      run.server().otherwise(Reply.status(401, "{\"error\":\"bad token\"}"));
      List<Event> events = TestEvents.tracks(1_000, 13);
      run.append(events);

      Await.until(Duration.ofSeconds(20), () -> "misconfigured: " + run.status(),
          () -> run.status().state().equals("MISCONFIGURED"));
      // Probes go at the breaker's reset interval; none of them, nor the first send, dead-letters.
      Await.until(Duration.ofSeconds(20), () -> "probed again: " + run.server().requests().size(),
          () -> run.server().requests().size() >= 3);
      assertEquals("MISCONFIGURED", run.status().state());
      assertTrue(run.status().lastError().startsWith("setup error: HTTP 401"), run.status().lastError());
      assertEquals(0, run.status().deadLettered());
      assertEquals(List.of(), run.deadLetters());
      assertEquals(1_000, run.status().lag());

      run.server().otherwise(Reply.status(200));
      run.awaitSettled();
      assertEquals("RUNNING", run.status().state());
      List<String> arrived = new ArrayList<>();
      for (ScriptedServer.Request request : run.server().requests()) {
        if (request.reply().status() != 200) continue;
        JsonArray batch = request.bodyAsJsonArray();
        for (int i = 0; i < batch.size(); i++) arrived.add(batch.getJsonObject(i).getString("messageId"));
      }
      assertEquals(events.stream().map(Event::messageId).toList(), arrived, "each event delivered once, in order");
      assertEquals(1_000, run.status().delivered());
      assertEquals(0, run.status().deadLettered());
      assertEquals(List.of(), run.deadLetters());
    }
  }
}
