package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of deduplication below the HTTP API: the set, the map, the fingerprint, the persisted files. */
class DedupStoreTest {

  @TempDir Path dir;

  @Test
  void longHashSetBehavesAsASet() {
    Random random = new Random(11);
    LongHashSet set = new LongHashSet();
    Set<Long> reference = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      // A small value range so adds, removes and probe-run shifts collide often.
      long value = 1 + random.nextInt(5000);
      switch (random.nextInt(3)) {
        case 0 -> assertEquals(reference.add(value), set.add(value));
        case 1 -> assertEquals(reference.remove(value), set.remove(value));
        default -> assertEquals(reference.contains(value), set.contains(value));
      }
      assertEquals(reference.size(), set.size());
    }
    Set<Long> members = new HashSet<>();
    set.forEach(members::add);
    assertEquals(reference, members);
  }

  @Test
  void longHashSetFindsEveryMemberOfManyRandomFingerprintsThroughItsFilter() {
    Random random = new Random(13);
    LongHashSet set = new LongHashSet();
    Set<Long> reference = new HashSet<>();
    for (int i = 0; i < 300_000; i++) {
      long value = random.nextLong() | 1;
      assertEquals(reference.add(value), set.add(value));
    }
    for (long value : reference) {
      assertTrue(set.contains(value));
    }
    for (int i = 0; i < 300_000; i++) {
      long value = random.nextLong() | 1;
      assertEquals(reference.contains(value), set.contains(value));
    }
  }

  @Test
  void longMapBehavesAsAMapAndRemovesOnlyTheGivenValue() {
    Random random = new Random(12);
    LongMap<Object> map = new LongMap<>();
    Map<Long, Object> reference = new HashMap<>();
    Object[] values = {new Object(), new Object(), new Object()};
    for (int i = 0; i < 200_000; i++) {
      // A small key range so puts, removes and probe-run shifts collide often.
      long key = 1 + random.nextInt(5000);
      Object value = values[random.nextInt(values.length)];
      switch (random.nextInt(3)) {
        case 0 -> {
          map.put(key, value);
          reference.put(key, value);
        }
        case 1 -> assertEquals(reference.remove(key, value), map.remove(key, value));
        default -> assertEquals(reference.get(key), map.get(key));
      }
      assertEquals(reference.size(), map.size());
    }
    for (long key = 1; key <= 5000; key++) {
      assertEquals(reference.get(key), map.get(key));
    }
  }

  @Test
  void fingerprintsSeparateSourceTopicAndId() {
    assertNotEquals(Fingerprint.of("web", "analytics", "m"), Fingerprint.of("backend", "analytics", "m"));
    assertNotEquals(Fingerprint.of("web", "analytics", "m"), Fingerprint.of("web", "orders", "m"));
    assertNotEquals(Fingerprint.of("ab", "c", "m"), Fingerprint.of("a", "bc", "m"));
    assertEquals(Fingerprint.of("web", "analytics", "m"), Fingerprint.of("web", "analytics", "m"));
    LongHashSet seen = new LongHashSet();
    for (int i = 0; i < 1_000_000; i++) {
      assertTrue(seen.add(Fingerprint.of("web", "analytics", "msg-" + i)), "collision at " + i);
    }
  }

  @Test
  void journalRestoresWhatWasRecordedAndCompactsAwayWhatExpired() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    Duration window = Duration.ofHours(1);
    DedupJournal journal = DedupJournal.open(dir, window, 1000, clock, (f, t) -> { });
    long now = clock.millis();
    journal.record(List.of(11L, 12L), now - 1000);
    journal.record(List.of(13L), now);
    journal.close();

    Map<Long, Long> restored = new HashMap<>();
    DedupJournal reopened = DedupJournal.open(dir, window, 1000, clock, restored::put);
    assertEquals(Map.of(11L, now - 1000, 12L, now - 1000, 13L, now), restored);
    reopened.close();

    clock.advance(Duration.ofMillis(window.toMillis() - 500));
    restored.clear();
    DedupJournal later = DedupJournal.open(dir, window, 1000, clock, restored::put);
    assertEquals(Map.of(13L, now), restored);
    later.close();
    assertEquals(8 + 16, Files.size(dir.resolve(DedupJournal.SNAPSHOT)));
  }

  @Test
  void snapshotKeepsTheNewestIdsWithinTheBound() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    DedupJournal journal = DedupJournal.open(dir, Duration.ofHours(1), 3, clock, (f, t) -> { });
    for (long id = 1; id <= 10; id++) {
      journal.record(List.of(id), clock.millis() - 1000 + id);
    }
    journal.close();
    List<Long> restored = new ArrayList<>();
    DedupJournal.open(dir, Duration.ofHours(1), 3, clock, (f, t) -> restored.add(f)).close();
    assertEquals(List.of(8L, 9L, 10L), restored);
  }

  @Test
  void foreignOrTornFilesAreToleratedAtStart() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    Files.writeString(dir.resolve(DedupJournal.SNAPSHOT), "not a dedup file at all, really");
    DedupJournal journal = DedupJournal.open(dir, Duration.ofHours(1), 10, clock, (f, t) -> { });
    journal.record(List.of(5L), clock.millis());
    journal.awaitWrittenForTest();
    journal.haltForTest();
    // A torn last record, as a crash mid-write leaves it.
    Files.write(dir.resolve(DedupJournal.JOURNAL), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    List<Long> restored = new ArrayList<>();
    DedupJournal.open(dir, Duration.ofHours(1), 10, clock, (f, t) -> restored.add(f)).close();
    assertEquals(List.of(5L), restored);
  }
}
