package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.assertSameEvent;
import static dev.herald.bus.log.LogTestSupport.await;
import static dev.herald.bus.log.LogTestSupport.event;
import static dev.herald.bus.log.LogTestSupport.events;
import static dev.herald.bus.log.embedded.EmbeddedLogTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogTestSupport;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class RetentionTest {

  @TempDir
  Path dir;

  private List<Long> segmentFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("segments"))) {
      return files.map(p -> Segment.parseBaseOffset(p.getFileName().toString())).sorted().toList();
    }
  }

  @Test
  void deletesOnlySegmentsEveryCursorPassed(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    LogSubscription fast = await(log.subscribe("fast"));
    LogSubscription slow = await(log.subscribe("slow"));
    await(log.append(events(0, 100)));
    List<Long> bases = log.segmentBaseOffsetsForTest();
    assertTrue(bases.size() > 5, bases.toString());
    await(log.enforceRetention());
    assertEquals(bases, segmentFiles(), "nothing is deleted before every consumer passed it");

    await(fast.commit(Map.of(0, 80L)));
    await(slow.commit(Map.of(0, 30L)));
    await(log.enforceRetention());
    long expectedStart = bases.stream().filter(b -> b <= 30).max(Long::compare).orElseThrow();
    assertTrue(expectedStart > 0);
    assertEquals(expectedStart, log.startOffset());
    assertEquals(bases.stream().filter(b -> b >= expectedStart).toList(), segmentFiles());
    assertEquals(Map.of(), log.retentionLosses());

    // slow had read nothing: its read position moves up to the oldest stored entry
    List<LogEntry> resumed = await(slow.poll(1, 1 << 20));
    assertEquals(expectedStart, resumed.get(0).offset());
    assertSameEvent(event((int) expectedStart), resumed.get(0).event());
    assertEquals(70, slow.lag());
    await(log.close());
  }

  @Test
  void withoutConsumersNothingIsDeletedInsideTheBounds(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    await(log.append(events(0, 60)));
    List<Long> bases = log.segmentBaseOffsetsForTest();
    await(log.enforceRetention());
    assertEquals(bases, segmentFiles());
    assertEquals(0, log.startOffset());
    await(log.close());
  }

  @Test
  void forcedRetentionCountsWhatALaggingConsumerLost(Vertx vertx) throws Exception {
    long maxBytes = 4 * 1024;
    EmbeddedLogOptions bounded = new EmbeddedLogOptions(dir, EmbeddedLogOptions.Fsync.ALWAYS,
        Duration.ofSeconds(1), 1024, maxBytes, null);
    // Filled without a bound first: a pass the roll-overs start in the background must not find
    // "current" before its commit.
    EmbeddedEventLog unbounded = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    await(unbounded.subscribe("lagging"));
    LogSubscription current = await(unbounded.subscribe("current"));
    await(unbounded.append(events(0, 100)));
    await(current.commit(Map.of(0, 100L)));
    await(unbounded.close());
    try (LogTestSupport.CapturedLog captured =
        new LogTestSupport.CapturedLog(Retention.class)) {
      EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, bounded));
      LogSubscription lagging = await(log.subscribe("lagging"));
      await(log.enforceRetention());

      long start = log.startOffset();
      assertTrue(start > 0, "the byte bound forced deletions");
      long kept = 0;
      for (Path file : Files.list(dir.resolve("segments")).toList()) {
        kept += Files.size(file);
      }
      assertTrue(kept <= maxBytes, "kept " + kept + " bytes");
      assertEquals(Map.of("lagging", start), log.retentionLosses());
      assertEquals(new LogLosses(start, 0), lagging.losses());
      assertEquals(start, log.committedOffsets().get("lagging"));
      assertEquals(100, log.committedOffsets().get("current"));
      assertTrue(captured.warnings().stream()
              .anyMatch(w -> w.contains("lagging") && w.contains("lost")),
          captured.warnings().toString());
      assertFalse(captured.warnings().stream().anyMatch(w -> w.contains("current")));

      List<LogEntry> entries = await(lagging.poll(1, 1 << 20));
      assertEquals(start, entries.get(0).offset());
      assertSameEvent(event((int) start), entries.get(0).event());
      assertEquals(100 - start, lagging.lag());
      await(log.close());
    }
  }

  @Test
  void ageBoundDeletesOldClosedSegmentsButNeverTheActiveOne(Vertx vertx) throws Exception {
    EmbeddedLogOptions aged = new EmbeddedLogOptions(dir, EmbeddedLogOptions.Fsync.ALWAYS,
        Duration.ofSeconds(1), 1024, 0, Duration.ofHours(1));
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, aged));
    await(log.subscribe("dest"));
    await(log.append(events(0, 40)));
    List<Long> bases = log.segmentBaseOffsetsForTest();
    long old = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
    for (Long base : bases) {
      Files.setLastModifiedTime(dir.resolve("segments").resolve(Segment.fileName(base)),
          java.nio.file.attribute.FileTime.fromMillis(old));
    }
    await(log.enforceRetention());
    long active = bases.get(bases.size() - 1);
    assertEquals(List.of(active), segmentFiles());
    assertEquals(active, log.startOffset());
    assertEquals(Map.of("dest", active), log.retentionLosses());
    await(log.append(events(40, 1)));
    assertEquals(41, log.endOffset());
    await(log.close());
  }
}
