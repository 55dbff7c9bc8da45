package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The generation-tagged table against a plain map, through tombstones, reused slots, rebuilds and reused numbers. */
class DedupTableTest {

  /** What the table should hold: each live fingerprint's generation. */
  private static final class Model {
    final Map<Long, Integer> generationOf = new HashMap<>();
    final List<Integer> live = new ArrayList<>();

    int count(int number) {
      return (int) generationOf.values().stream().filter(n -> n == number).count();
    }

    int close(int number) {
      live.remove((Integer) number);
      int closed = count(number);
      generationOf.values().removeIf(n -> n == number);
      return closed;
    }
  }

  private static void runAgainstModel(long seed, int maxIds, int keyRange, int operations, int maxLive) {
    Random random = new Random(seed);
    DedupTable table = new DedupTable(maxIds);
    Model model = new Model();
    long[] keys = new long[keyRange];
    for (int i = 0; i < keyRange; i++) {
      // Some small values too, whose mixes differ in few bits.
      keys[i] = random.nextBoolean() ? random.nextLong() : 1 + random.nextInt(keyRange * 4);
    }
    for (int op = 0; op < operations; op++) {
      long key = keys[random.nextInt(keyRange)];
      int choice = random.nextInt(100);
      if (model.live.isEmpty() || (choice < 3 && model.live.size() < maxLive)) {
        int number = table.open();
        assertNotEquals(0, number);
        assertFalse(model.live.contains(number), "number " + number + " given twice");
        model.live.add(number);
      } else if (choice < 6) {
        // Mostly the oldest, as the deduplicator does, sometimes another.
        int index = random.nextInt(4) == 0 ? random.nextInt(model.live.size()) : 0;
        int number = model.live.get(index);
        assertEquals(model.close(number), table.close(number));
      } else if (choice < 55) {
        int newest = model.live.get(model.live.size() - 1);
        boolean absent = !model.generationOf.containsKey(key);
        if (random.nextBoolean()) {
          assertEquals(absent, table.addIfAbsent(key, newest), "addIfAbsent " + key + " at " + op);
        } else if (absent) {
          table.add(key, newest);
        }
        if (absent) {
          model.generationOf.put(key, newest);
        }
      } else if (choice < 65) {
        assertEquals(model.generationOf.remove(key) != null, table.remove(key));
      } else {
        assertEquals(model.generationOf.containsKey(key), table.contains(key), "contains " + key + " at " + op);
      }
      assertEquals(model.generationOf.size(), table.size());
      if (op % 997 == 0) {
        for (long each : keys) {
          assertEquals(model.generationOf.containsKey(each), table.contains(each), "contains " + each + " at " + op);
        }
        for (int number : model.live) {
          assertEquals(model.count(number), table.count(number));
        }
      }
    }
  }

  @Test
  void agreesWithAMapInOneSmallSegment() {
    runAgainstModel(21, 100, 300, 300_000, 12);
  }

  @Test
  void agreesWithAMapAcrossSegmentsThatGrowShrinkAndRebuild() {
    runAgainstModel(22, 200_000, 60_000, 400_000, 10);
  }

  @Test
  void agreesWithAMapWhenGenerationsComeAndGoByTheThousand() {
    // Numbers wrap round many times: an entry of a closed generation must never come back.
    runAgainstModel(23, 1000, 2000, 400_000, 3);
  }

  @Test
  void agreesWithAMapWithManyGenerationsLive() {
    runAgainstModel(24, 5000, 4000, 200_000, DedupTable.NUMBERS);
  }

  @Test
  void opensNoMoreThanItsNumbersAndFreesOneWhenAGenerationCloses() {
    DedupTable table = new DedupTable(1000);
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < DedupTable.NUMBERS; i++) {
      int number = table.open();
      assertNotEquals(0, number);
      table.add(1000 + i, number);
      numbers.add(number);
    }
    assertEquals(0, table.open());
    assertEquals(1, table.close(numbers.get(0)));
    // The closed generation's entry is still in the table, dead: opening drops it first.
    int reused = table.open();
    assertEquals(numbers.get(0), reused);
    assertFalse(table.contains(1000));
    assertEquals(0, table.count(reused));
    for (int i = 1; i < DedupTable.NUMBERS; i++) {
      assertTrue(table.contains(1000 + i));
    }
  }

  @Test
  void aLongRunOfDeadEntriesIsRebuiltAwayAndTheMemoryStaysBounded() {
    DedupTable table = new DedupTable(100_000);
    Random random = new Random(25);
    List<Integer> live = new ArrayList<>();
    live.add(table.open());
    long peak = 0;
    for (int i = 0; i < 2_000_000; i++) {
      int newest = live.get(live.size() - 1);
      if (table.count(newest) >= 12_500) {
        live.add(table.open());
        newest = live.get(live.size() - 1);
      }
      table.add(random.nextLong(), newest);
      while (table.size() > 100_000) {
        table.close(live.remove(0));
      }
      peak = Math.max(peak, table.footprintBytes());
    }
    // 64 bytes per 7 slots, at most 60 % live after a rebuild and the scratch of one segment.
    assertTrue(peak < 100_000 * 64 / 7 / 0.3 + 2 * 64 * 8192, "peak " + peak);
    while (!live.isEmpty()) {
      table.close(live.remove(0));
    }
    assertEquals(0, table.size());
    assertTrue(table.footprintBytes() < 64 * 8192, "kept " + table.footprintBytes() + " bytes with nothing live");
  }
}
