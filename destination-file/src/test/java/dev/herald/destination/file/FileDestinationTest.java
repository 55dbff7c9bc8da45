package dev.herald.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import dev.herald.destination.api.SendResult;
import dev.herald.destination.testkit.TestDestinationContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The file destination against real files in a temporary directory. */
@ExtendWith(VertxExtension.class)
class FileDestinationTest {

  @TempDir
  Path dir;

  @Test
  void writesOneLinePerEventReadableOnceTheFutureCompletes(Vertx vertx, VertxTestContext ctx) {
    Path path = dir.resolve("nested/dirs/events.ndjson");
    FileDestination destination = destination(vertx, new JsonObject().put("path", path.toString()));
    destination.start()
        .compose(v -> destination.send(List.of(event("{\"event\":\"Signed Up\",\"n\":1}"), event("{\n  \"pretty\" : true\n}"))))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertInstanceOf(SendResult.Delivered.class, result);
          assertEquals(List.of("{\"event\":\"Signed Up\",\"n\":1}", "{\"pretty\":true}"), Files.readAllLines(path));
          destination.stop().onComplete(ctx.succeedingThenComplete());
        })));
  }

  @Test
  void rotatesAtMaxBytesAndKeepsMaxFiles(Vertx vertx, VertxTestContext ctx) {
    Path path = dir.resolve("events.ndjson");
    // Each line is {"n":N} plus a newline: 8 bytes; 24 bytes hold three lines.
    FileDestination destination = destination(vertx, new JsonObject()
        .put("path", path.toString()).put("maxBytes", 24).put("maxFiles", 3));
    List<Event> first = IntStream.range(0, 4).mapToObj(n -> event("{\"n\":" + n + "}")).toList();
    List<Event> second = IntStream.range(4, 10).mapToObj(n -> event("{\"n\":" + n + "}")).toList();
    destination.start()
        .compose(v -> destination.send(first))
        .compose(v -> destination.send(second))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertInstanceOf(SendResult.Delivered.class, result);
          assertEquals(lines(9), Files.readAllLines(path));
          assertEquals(lines(6, 7, 8), Files.readAllLines(dir.resolve("events.ndjson.1")));
          assertEquals(lines(3, 4, 5), Files.readAllLines(dir.resolve("events.ndjson.2")));
          assertFalse(Files.exists(dir.resolve("events.ndjson.3")), "oldest file deleted");
          try (var files = Files.list(dir)) {
            assertEquals(3, files.count());
          }
          destination.stop().onComplete(ctx.succeedingThenComplete());
        })));
  }

  @Test
  void reopeningAppendsAndCountsTheExistingSize(Vertx vertx, VertxTestContext ctx) {
    Path path = dir.resolve("events.ndjson");
    JsonObject config = new JsonObject().put("path", path.toString()).put("maxBytes", 16).put("maxFiles", 2);
    FileDestination before = destination(vertx, config);
    FileDestination after = destination(vertx, config);
    before.start()
        .compose(v -> before.send(List.of(event("{\"n\":0}"))))
        .compose(v -> before.stop())
        .compose(v -> after.start())
        .compose(v -> after.send(List.of(event("{\"n\":1}"))))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(lines(0, 1), Files.readAllLines(path));
          // The reopened file already holds 16 bytes: the next line rotates.
          after.send(List.of(event("{\"n\":2}"))).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertEquals(lines(2), Files.readAllLines(path));
            assertEquals(lines(0, 1), Files.readAllLines(dir.resolve("events.ndjson.1")));
            after.stop().onComplete(ctx.succeedingThenComplete());
          })));
        })));
  }

  @Test
  void writesOffTheEventLoop(Vertx vertx, VertxTestContext ctx) {
    FileDestination destination = destination(vertx, new JsonObject().put("path", dir.resolve("e.ndjson").toString()));
    Context eventLoop = vertx.getOrCreateContext();
    eventLoop.runOnContext(ignored -> {
      assertTrue(Context.isOnEventLoopThread(), "send is called on an event loop, as Herald does");
      destination.start()
          .compose(v -> destination.send(List.of(event("{\"n\":0}"))))
          .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
            assertInstanceOf(SendResult.Delivered.class, result);
            assertFalse(destination.file().wroteOnEventLoop(), "the write ran on an event-loop thread");
            destination.stop().onComplete(ctx.succeedingThenComplete());
          })));
    });
  }

  @Test
  void ioErrorIsRetriedAndClearsOnceFixed(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path path = dir.resolve("events.ndjson");
    // A non-empty directory where the rotated file must go makes rotation fail for real.
    Path blocker = Files.createDirectories(dir.resolve("events.ndjson.1"));
    Files.writeString(blocker.resolve("keep"), "x");
    FileDestination destination = destination(vertx, new JsonObject()
        .put("path", path.toString()).put("maxBytes", 8).put("maxFiles", 2));
    destination.start()
        .compose(v -> destination.send(List.of(event("{\"n\":0}"))))
        .compose(v -> destination.send(List.of(event("{\"n\":1}"))))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, result);
          assertEquals(0, retry.status());
          assertTrue(retry.reason().contains("events.ndjson"), retry.reason());
          Files.delete(blocker.resolve("keep"));
          Files.delete(blocker);
          destination.send(List.of(event("{\"n\":1}"))).onComplete(ctx.succeeding(again -> ctx.verify(() -> {
            assertInstanceOf(SendResult.Delivered.class, again);
            assertEquals(lines(1), Files.readAllLines(path));
            assertEquals(lines(0), Files.readAllLines(dir.resolve("events.ndjson.1")));
            destination.stop().onComplete(ctx.succeedingThenComplete());
          })));
        })));
  }

  @Test
  void startFailsWhenTheDirectoryCannotBeCreated(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("not-a-dir"), "x");
    FileDestination destination = destination(vertx, new JsonObject().put("path", dir.resolve("not-a-dir/e.ndjson").toString()));
    destination.start().onComplete(ctx.failingThenComplete());
  }

  @Test
  void configIsValidated() {
    FileDestinationFactory factory = new FileDestinationFactory();
    assertEquals("file", factory.type());
    assertEquals(List.of("'path' is required"), factory.configSpec().validate(new JsonObject()));
    JsonObject filled = factory.configSpec().withDefaults(new JsonObject().put("path", "events.ndjson"));
    FileSinkConfig config = FileSinkConfig.from(filled);
    assertEquals(100L * 1024 * 1024, config.maxBytes());
    assertEquals(5, config.maxFiles());
    assertTrue(config.path().isAbsolute());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FileSinkConfig.from(new JsonObject().put("path", "x").put("maxBytes", 0).put("maxFiles", 0)));
    assertEquals("'maxBytes' must be >= 1; 'maxFiles' must be >= 1", e.getMessage());
  }

  private static FileDestination destination(Vertx vertx, JsonObject config) {
    return (FileDestination) TestDestinationContext.of(vertx, new FileDestinationFactory(), config)
        .create(new FileDestinationFactory());
  }

  private static List<String> lines(int... numbers) {
    List<String> out = new ArrayList<>();
    for (int n : numbers) out.add("{\"n\":" + n + "}");
    return out;
  }

  private static Event event(String json) {
    return new Event("m-" + System.nanoTime(), "track", "analytics", "web", "user-1", Instant.now(), Buffer.buffer(json));
  }
}
