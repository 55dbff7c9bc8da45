package com.example.herald;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.destination.api.Event;
import dev.herald.destination.testkit.DestinationHarness;
import dev.herald.destination.testkit.Reply;
import dev.herald.destination.testkit.RunningDestination;
import dev.herald.destination.testkit.TestEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plugin inside Herald's real runner, against a scripted HTTP server on 127.0.0.1. */
class ExampleDestinationTest {

  private static DestinationHarness harness() {
    return DestinationHarness.of(new ExampleDestinationFactory())
        .config(server -> new JsonObject().put("url", server.url("/events")));
  }

  @Test
  void keepsHeraldsDestinationContract() {
    harness().checkHttpContract();
  }

  @Test
  void postsEachBatchAsAJsonArrayOfTheEventsAndDeadLettersWhatTheServerRefuses() {
    try (RunningDestination run = harness().start()) {
      List<Event> events = TestEvents.tracks(3, 1);
      run.append(events).awaitSettled();
      JsonArray posted = run.server().requests().get(0).bodyAsJsonArray();
      assertEquals(events.stream().map(Event::messageId).toList(),
          posted.stream().map(e -> ((JsonObject) e).getString("messageId")).toList());

      run.server().script(Reply.status(422, "{\"error\":\"no such user\"}"));
      run.append(TestEvents.track("user-9", "Refused", 9)).awaitSettled();
      assertEquals("answered 422", run.deadLetters().get(0).reason());
      assertEquals("{\"error\":\"no such user\"}", run.deadLetters().get(0).responseExcerpt());
    }
  }
}
