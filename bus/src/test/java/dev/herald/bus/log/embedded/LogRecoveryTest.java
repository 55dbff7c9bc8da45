package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.assertSameEvent;
import static dev.herald.bus.log.LogTestSupport.await;
import static dev.herald.bus.log.LogTestSupport.drain;
import static dev.herald.bus.log.LogTestSupport.event;
import static dev.herald.bus.log.LogTestSupport.events;
import static dev.herald.bus.log.embedded.EmbeddedLogTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogTestSupport;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class LogRecoveryTest {

  @TempDir
  Path dir;

  private Path firstSegment() {
    return dir.resolve("segments").resolve(Segment.fileName(0));
  }

  /** Writes {@code count} events as one record each and returns each record's file position. */
  private List<Long> writeRecords(Vertx vertx, int count) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    for (int i = 0; i < count; i++) {
      await(log.append(events(i, 1)));
    }
    await(log.close());
    List<Long> positions = new ArrayList<>();
    try (RecordReader reader = new RecordReader(firstSegment(), 0)) {
      while (reader.next() == RecordReader.Status.RECORD) {
        positions.add(reader.position());
        reader.advance();
      }
    }
    assertEquals(count, positions.size());
    return positions;
  }

  @Test
  void tornTailDropsExactlyTheTornRecord(Vertx vertx) throws Exception {
    List<Long> positions = writeRecords(vertx, 10);
    long lastStart = positions.get(9);
    long size = Files.size(firstSegment());
    long tornSize = lastStart + (size - lastStart) / 2;
    try (FileChannel channel = FileChannel.open(firstSegment(), StandardOpenOption.WRITE)) {
      channel.truncate(tornSize);
    }

    try (LogTestSupport.CapturedLog captured = new LogTestSupport.CapturedLog(LogRecovery.class)) {
      EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
      assertEquals(9, log.endOffset());
      assertEquals(lastStart, Files.size(firstSegment()));
      List<String> warnings = captured.warnings();
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("dropped " + (tornSize - lastStart) + " bytes from "
          + firstSegment()), warnings.get(0));

      await(log.append(events(100, 1)));
      List<LogEntry> entries = drain(await(log.subscribe("dest")), 100);
      assertEquals(10, entries.size());
      for (int i = 0; i < 9; i++) {
        assertSameEvent(event(i), entries.get(i).event());
      }
      assertEquals(9, entries.get(9).offset());
      assertSameEvent(event(100), entries.get(9).event());
      await(log.close());
    }
  }

  @Test
  void flippedByteFailsTheChecksumAndTruncatesThere(Vertx vertx) throws Exception {
    List<Long> positions = writeRecords(vertx, 10);
    long size = Files.size(firstSegment());
    long corrupted = positions.get(6);
    try (RandomAccessFile file = new RandomAccessFile(firstSegment().toFile(), "rw")) {
      // inside record 6's JSON payload, where only the checksum can notice
      long inBody = positions.get(7) - 5;
      file.seek(inBody);
      int original = file.read();
      file.seek(inBody);
      file.write(original ^ 0x40);
    }

    try (LogTestSupport.CapturedLog captured = new LogTestSupport.CapturedLog(LogRecovery.class)) {
      EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
      assertEquals(6, log.endOffset());
      assertEquals(corrupted, Files.size(firstSegment()));
      String warning = captured.warnings().get(0);
      assertTrue(warning.contains("dropped " + (size - corrupted) + " bytes"), warning);
      assertTrue(warning.contains("CRC32C mismatch"), warning);
      List<LogEntry> entries = drain(await(log.subscribe("dest")), 100);
      assertEquals(6, entries.size());
      assertSameEvent(event(5), entries.get(5).event());
      await(log.close());
    }
  }

  @Test
  void garbageLengthAtTheTailIsDropped(Vertx vertx) throws Exception {
    writeRecords(vertx, 3);
    long size = Files.size(firstSegment());
    Files.write(firstSegment(), new byte[] {0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3, 4, 5},
        StandardOpenOption.APPEND);
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    assertEquals(3, log.endOffset());
    assertEquals(size, Files.size(firstSegment()));
    await(log.close());
  }

  @Test
  void cursorBeyondTheRecoveredEndIsClamped(Vertx vertx) throws Exception {
    List<Long> positions = writeRecords(vertx, 5);
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    await(await(log.subscribe("dest")).commit(Map.of(0, 5L)));
    await(log.close());
    try (FileChannel channel = FileChannel.open(firstSegment(), StandardOpenOption.WRITE)) {
      channel.truncate(positions.get(3) + 3);
    }

    EmbeddedEventLog reopened = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    assertEquals(3, reopened.endOffset());
    assertEquals(Map.of("dest", 3L), reopened.committedOffsets());
    assertEquals("3", Files.readString(dir.resolve("cursors/dest.cursor")).trim());
    await(reopened.append(events(50, 1)));
    List<LogEntry> entries = drain(await(reopened.subscribe("dest")), 100);
    assertEquals(1, entries.size());
    assertSameEvent(event(50), entries.get(0).event());
    await(reopened.close());
  }

  @Test
  void recoveryContinuesTheOffsetsOfEarlierSegments(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    await(log.append(events(0, 30)));
    List<Long> bases = log.segmentBaseOffsetsForTest();
    await(log.close());
    assertTrue(bases.size() > 2, bases.toString());

    EmbeddedEventLog reopened = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    assertEquals(30, reopened.endOffset());
    assertEquals(bases, reopened.segmentBaseOffsetsForTest());
    await(reopened.append(events(30, 5)));
    List<LogEntry> entries = drain(await(reopened.subscribe("dest")), 7);
    assertEquals(35, entries.size());
    for (int i = 0; i < 35; i++) {
      assertSameEvent(event(i), entries.get(i).event());
    }
    await(reopened.close());
  }
}
