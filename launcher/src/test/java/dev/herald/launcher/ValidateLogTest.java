package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.destination.api.Event;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} also checks the embedded log the config points at. */
@ExtendWith(VertxExtension.class)
class ValidateLogTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int validate(Path dir, Path config) {
    Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new Secrets(name -> null),
        dir.resolve("data"));
    return cli.run(new String[] {"validate", "--config", config.toString()});
  }

  @Test
  void validateReportsADamagedOlderSegmentAndABadCursorAndExits1(Vertx vertx, @TempDir Path dir)
      throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    Path data = dir.resolve("data");
    EmbeddedLogOptions options = new EmbeddedLogOptions(data, EmbeddedLogOptions.Fsync.ALWAYS,
        Duration.ofSeconds(1), 1024, 0, null);
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options));
    LogSubscription archive = await(log.subscribe("archive"));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(new Event("m-" + i, "track", "analytics", "web", "user-" + i,
          Instant.ofEpochMilli(1_700_000_000_000L + i), Buffer.buffer("{\"n\":" + i + "}")));
    }
    await(log.append(events));
    await(archive.commit(Map.of(0, 40L)));
    await(log.close());
    Path oldest;
    try (Stream<Path> files = Files.list(data.resolve("segments"))) {
      oldest = files.sorted().findFirst().orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(oldest.toFile(), "rw")) {
      raf.seek(30); // inside the first record's body
      int b = raf.read();
      raf.seek(30);
      raf.write(b ^ 0x04);
    }
    Files.writeString(data.resolve("cursors/archive.cursor"), "1000\n");
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        sources: [{ id: web, writeKey: k }]
        plugins: { dir: "%s" }
        log: { dir: "%s" }
        destinations: [{ id: archive, type: file, config: { path: "%s" } }]
        """.formatted(dir.resolve("plugins"), data, dir.resolve("out.ndjson")));

    assertEquals(1, validate(dir, config), out + "\n" + err);
    String text = err.toString();
    assertTrue(text.contains("segments/" + oldest.getFileName() + " position 0: CRC32C mismatch; "
        + "offsets 0 to 0 cannot be read"), text);
    assertTrue(text.contains("cursors/archive.cursor: offset 1000 is beyond the log end 40"), text);
  }
}
