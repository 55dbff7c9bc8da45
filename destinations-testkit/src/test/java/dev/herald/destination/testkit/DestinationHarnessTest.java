package dev.herald.destination.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.testkit.SampleDestination.Flaw;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationHarnessTest {

  private static DestinationHarness harness(Flaw flaw) {
    return DestinationHarness.of(SampleDestination.factory(flaw))
        .config(server -> new JsonObject().put("url", server.url("/events")));
  }

  @Test
  void aWellBehavedDestinationKeepsTheHttpContract() {
    harness(Flaw.NONE).checkHttpContract();
  }

  @Test
  void aDestinationThatWaitsForTheAnswerOnTheEventLoopIsCaughtBlocking() {
    AssertionError error = assertThrows(AssertionError.class, () -> harness(Flaw.BLOCKS).checkHttpContract());
    assertTrue(error.getMessage().contains("send() waited for the server's answer"), error.getMessage());
  }

  @Test
  void aDestinationThatCallsEverythingDeliveredAndLeaksItsClientIsCaughtOnBoth() {
    AssertionError error = assertThrows(AssertionError.class,
        () -> harness(Flaw.ALWAYS_DELIVERED_AND_LEAKS).checkHttpContract());
    assertTrue(error.getMessage().contains("a 400 answer must be rejected"), error.getMessage());
    assertTrue(error.getMessage().contains("a 500 answer must be retried"), error.getMessage());
    assertTrue(error.getMessage().contains("still open after stop()"), error.getMessage());
  }

  @Test
  void aRunningDestinationShowsDeliveriesRetriesAndDeadLetters() {
    try (RunningDestination run = harness(Flaw.NONE).start()) {
      run.server().script(Reply.status(503));
      run.append(TestEvents.track("user-1", "Retried", 1)).awaitSettled();
      run.server().script(Reply.status(422, "no"));
      run.append(TestEvents.track("user-2", "Rejected", 2)).awaitSettled();
      run.append(TestEvents.tracks(3, 1)).awaitSettled();

      RunnerSnapshot status = run.status();
      assertEquals(4, status.delivered());
      assertEquals(1, status.retried());
      assertEquals(1, status.rejected());
      List<DeadLetterSnapshot> letters = run.deadLetters();
      assertEquals(List.of("user-2-2"), letters.stream().map(DeadLetterSnapshot::messageId).toList());
      assertEquals(422, letters.get(0).status());
      assertEquals(List.of(503, 200, 422, 200), run.server().requests().stream().map(r -> r.reply().status()).toList());
    }
  }

  @Test
  void awaitNamesWhatItWaitedFor() {
    AssertionError error = assertThrows(AssertionError.class,
        () -> Await.until(Duration.ofMillis(50), () -> "the moon", () -> false));
    assertTrue(error.getMessage().contains("the moon"), error.getMessage());
  }
}
