package dev.herald.destination.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import dev.herald.destination.testkit.DestinationHarness;
import dev.herald.destination.testkit.RunningDestination;
import dev.herald.destination.testkit.ScriptedServer;
import dev.herald.destination.testkit.TestEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
}
