package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.await;
import static dev.herald.bus.log.LogTestSupport.drain;
import static dev.herald.bus.log.LogTestSupport.events;
import static dev.herald.bus.log.embedded.EmbeddedLogTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogTestSupport;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Damage in an older segment (which recovery does not check) costs only the damaged records. */
@ExtendWith(VertxExtension.class)
class DamagedLogTest {

  private static final int EVENTS = 60;

  @TempDir
  Path dir;

  /** Writes {@link #EVENTS} events into small segments; returns the segment base offsets. */
  private List<Long> writeSegments(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    for (int i = 0; i < EVENTS; i += 3) {
      await(log.append(events(i, 3)));
    }
    List<Long> bases = log.segmentBaseOffsetsForTest();
    await(log.close());
    assertTrue(bases.size() > 4, bases.toString());
    return bases;
  }

  private Path segment(long base) {
    return dir.resolve("segments").resolve(Segment.fileName(base));
  }

  /** File position of each record of a segment. */
  private static List<Long> positions(Path segment) throws Exception {
    List<Long> positions = new ArrayList<>();
    try (RecordReader reader = new RecordReader(segment, 0)) {
      while (reader.next() == RecordReader.Status.RECORD) {
        positions.add(reader.position());
        reader.advance();
      }
    }
    return positions;
  }

  private static void flip(Path file, long position, int mask) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int original = raf.read();
      raf.seek(position);
      raf.write(original ^ mask);
    }
  }

  private static List<Long> offsets(List<LogEntry> entries) {
    return entries.stream().map(LogEntry::offset).toList();
  }

  private static List<Long> allBut(long from, long to) {
    return LongStream.range(0, EVENTS).filter(o -> o < from || o >= to).boxed().toList();
  }

  @Test
  void aChecksumErrorInAnOlderSegmentCostsOnlyThatRecord(Vertx vertx) throws Exception {
    List<Long> bases = writeSegments(vertx);
    long base = bases.get(1);
    List<Long> positions = positions(segment(base));
    // the payload of the segment's second record: only the checksum can notice
    flip(segment(base), positions.get(2) - 3, 0x20);
    long damaged = base + 1;

    try (LogTestSupport.CapturedLog captured =
        new LogTestSupport.CapturedLog(EmbeddedSubscription.class)) {
      EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
      assertEquals(EVENTS, log.endOffset(), "recovery checks only the newest segment");
      LogSubscription subscription = await(log.subscribe("dest"));
      // one poll delivers the records before the damage and goes on after it
      List<LogEntry> first = await(subscription.poll(1000, Long.MAX_VALUE));
      assertEquals(allBut(damaged, damaged + 1), offsets(first));
      assertEquals(List.of(), drain(subscription, 1000));
      assertEquals(new LogLosses(0, 1), subscription.losses());
      String warning = String.join("\n", captured.warnings());
      assertTrue(warning.contains(segment(base).toString()), warning);
      assertTrue(warning.contains("position " + positions.get(1)), warning);
      assertTrue(warning.contains("offsets " + damaged + " to " + damaged), warning);
      assertTrue(warning.contains("CRC32C mismatch"), warning);
      await(log.close());
    }
  }

  @Test
  void aGarbageLengthIsSkippedToTheNextRecordThatFits(Vertx vertx) throws Exception {
    List<Long> bases = writeSegments(vertx);
    long base = bases.get(2);
    List<Long> positions = positions(segment(base));
    flip(segment(base), positions.get(1), 0x7f); // the high byte of the record's length
    long damaged = base + 1;

    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    LogSubscription subscription = await(log.subscribe("dest"));
    assertEquals(allBut(damaged, damaged + 1), offsets(drain(subscription, 7)));
    assertEquals(new LogLosses(0, 1), subscription.losses());
    await(log.close());
  }

  @Test
  void aTruncatedOlderSegmentLosesItsTailAndReadingGoesOnInTheNext(Vertx vertx)
      throws Exception {
    List<Long> bases = writeSegments(vertx);
    long base = bases.get(1);
    List<Long> positions = positions(segment(base));
    try (FileChannel channel = FileChannel.open(segment(base), StandardOpenOption.WRITE)) {
      channel.truncate(positions.get(1) + 5);
    }
    long next = bases.get(2);

    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    LogSubscription subscription = await(log.subscribe("dest"));
    assertEquals(allBut(base + 1, next), offsets(drain(subscription, 1000)));
    assertEquals(new LogLosses(0, next - base - 1), subscription.losses());
    await(log.close());
  }

  @Test
  void damageAtTheDurableEndOfTheNewestSegmentIsSkippedAndNewAppendsArrive(Vertx vertx)
      throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    await(log.append(events(0, 10)));
    Path only = segment(0);
    List<Long> positions = positions(only);
    flip(only, positions.get(9) + 20, 0x01); // record 9, the last durable one, rots
    LogSubscription subscription = await(log.subscribe("dest"));
    assertEquals(LongStream.range(0, 9).boxed().toList(), offsets(drain(subscription, 1000)));
    assertEquals(new LogLosses(0, 1), subscription.losses());
    await(log.append(events(10, 5)));
    assertEquals(LongStream.range(10, 15).boxed().toList(), offsets(drain(subscription, 1000)));
    await(log.close());
  }
}
