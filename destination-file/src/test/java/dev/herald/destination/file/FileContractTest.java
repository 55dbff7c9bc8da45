package dev.herald.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.destination.api.Event;
import dev.herald.destination.testkit.DestinationHarness;
import dev.herald.destination.testkit.RunningDestination;
import dev.herald.destination.testkit.TestEvents;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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

  @Test
  void theFileIsOpenWhileRunningAndClosedOnceStopped() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc to see open files");
    Path file = dir.resolve("events.ndjson");
    RunningDestination run = harness(file).start();
    try {
      run.append(TestEvents.track("user-1", "Opened", 1)).awaitSettled();
      assertTrue(openHandles(file) > 0, "the live file is open while the destination runs");
    } finally {
      run.close();
    }
    assertEquals(0, openHandles(file), "stop() closed the file");
  }

  /** How many of this process's file descriptors point at {@code file}. */
  private static long openHandles(Path file) throws IOException {
    Path real = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).equals(real);
        } catch (IOException | UnsupportedOperationException e) {
          return false; // closed meanwhile, or not a link
        }
      }).count();
    }
  }
}
