package dev.herald.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.destination.api.Event;
import dev.herald.destination.testkit.DestinationHarness;
import dev.herald.destination.testkit.RunningDestination;
import dev.herald.destination.testkit.TestEvents;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file destination inside Herald's real runner, writing a real file. */
class FileContractTest {

  @TempDir Path dir;

  private DestinationHarness harness(Path file) {
    return DestinationHarness.of(new FileDestinationFactory()).config(new JsonObject().put("path", file.toString()));
  }

  @Test
  void keepsTheDestinationContract() {
    harness(dir.resolve("events.ndjson")).checkContract();
  }

  @Test
  void everySettledEventIsOnDiskOnceInLogOrder() throws IOException {
    Path file = dir.resolve("out/events.ndjson");
    List<Event> events = TestEvents.tracks(1_201, 5);
    try (RunningDestination run = harness(file).start()) {
      run.append(events).awaitSettled();

      List<String> lines = Files.readAllLines(file);
      assertEquals(events.stream().map(e -> e.payloadBytes().toString()).toList(), lines);
      assertEquals(1_201, run.status().delivered());
    }
  }
}
