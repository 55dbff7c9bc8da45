package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.await;
import static dev.herald.bus.log.LogTestSupport.events;
import static dev.herald.bus.log.embedded.EmbeddedLogTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald validate}'s look at an embedded log: every record, every gap, every cursor. */
@ExtendWith(VertxExtension.class)
class LogCheckTest {

  @TempDir
  Path dir;

  private List<Long> writeLog(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    await(log.subscribe("archive"));
    await(log.append(events(0, 60)));
    await(await(log.subscribe("archive")).commit(Map.of(0, 30L)));
    List<Long> bases = log.segmentBaseOffsetsForTest();
    await(log.close());
    assertTrue(bases.size() > 5, bases.toString());
    return bases;
  }

  private Path segment(long base) {
    return dir.resolve("segments").resolve(Segment.fileName(base));
  }

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

  @Test
  void aHealthyLogHasNothingToReport(Vertx vertx) throws Exception {
    writeLog(vertx);
    LogCheck.Report report = LogCheck.run(dir, Set.of("archive"));
    assertEquals(List.of(), report.errors());
    assertEquals(List.of(), report.warnings());
    assertTrue(report.summary().contains("offsets 0 to 59, 1 cursor(s)"), report.summary());
  }

  @Test
  void everyDamagedRecordGapAndBadCursorIsReportedWithFilePositionAndOffsets(Vertx vertx)
      throws Exception {
    List<Long> bases = writeLog(vertx);
    // a flipped payload byte in the second segment's second record
    Path second = segment(bases.get(1));
    long damagedAt = positions(second).get(1);
    try (RandomAccessFile raf = new RandomAccessFile(second.toFile(), "rw")) {
      raf.seek(positions(second).get(2) - 3);
      int b = raf.read();
      raf.seek(positions(second).get(2) - 3);
      raf.write(b ^ 0x10);
    }
    // the fourth segment is gone, and a cursor points into it
    Files.delete(segment(bases.get(3)));
    Files.writeString(dir.resolve("cursors/lost.cursor"), bases.get(3) + 1 + "\n");
    Files.writeString(dir.resolve("cursors/ahead.cursor"), "999\n");
    // the newest segment ends in half a record, as after a crash
    Files.write(segment(bases.get(bases.size() - 1)), new byte[] {0, 0, 1}, StandardOpenOption.APPEND);

    LogCheck.Report report =
        LogCheck.run(dir, Set.of("archive", "lost", "ahead", "not-yet-started"));
    String errors = String.join("\n", report.errors());
    assertTrue(errors.contains("segments/" + Segment.fileName(bases.get(1)) + " position "
        + damagedAt + ": CRC32C mismatch; offsets " + (bases.get(1) + 1) + " to "
        + (bases.get(1) + 1) + " cannot be read"), errors);
    assertTrue(errors.contains("offsets " + bases.get(3) + " to " + (bases.get(4) - 1)
        + " are missing"), errors);
    assertTrue(errors.contains("cursors/lost.cursor: offset " + (bases.get(3) + 1)
        + " points into offsets " + bases.get(3) + " to " + (bases.get(4) - 1)), errors);
    assertTrue(errors.contains("cursors/ahead.cursor: offset 999 is beyond the log end 60"), errors);
    assertEquals(4, report.errors().size(), errors);
    assertEquals(1, report.warnings().size(), report.warnings().toString());
    assertTrue(report.warnings().get(0).contains("start-up recovery truncates them"),
        report.warnings().toString());

    assertEquals(List.of("cursors/archive.cursor: no configured destination has the id "
        + "'archive'; start-up drops this cursor"), LogCheck.run(dir, Set.of("lost", "ahead"))
        .warnings().stream().filter(w -> w.startsWith("cursors/")).toList());
  }

  @Test
  void damageInsideTheNewestSegmentIsAnErrorBecauseRecoveryTruncatesThere(Vertx vertx)
      throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    await(log.append(events(0, 10)));
    await(log.close());
    Path only = segment(0);
    long damagedAt = positions(only).get(4);
    try (RandomAccessFile raf = new RandomAccessFile(only.toFile(), "rw")) {
      raf.seek(damagedAt + 20);
      raf.write(raf.read() ^ 0x02);
    }
    LogCheck.Report report = LogCheck.run(dir, Set.of());
    assertEquals(List.of("segments/" + Segment.fileName(0) + " position " + damagedAt
        + ": CRC32C mismatch; readable records follow (from offset 5), but start-up recovery "
        + "truncates the newest segment here, dropping offsets 4 and after"), report.errors());
  }
}
