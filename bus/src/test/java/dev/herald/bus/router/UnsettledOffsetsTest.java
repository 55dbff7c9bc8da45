package dev.herald.bus.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The primitive unsettled-offset set behaves as a sorted map of offset to receivedAt. */
class UnsettledOffsetsTest {

  @Test
  void behavesAsASortedMapOverSeededMixesOfReadsSettlesAndReReads() {
    for (int seed = 0; seed < 20; seed++) {
      Random random = new Random(seed);
      UnsettledOffsets set = new UnsettledOffsets();
      TreeMap<Long, Long> reference = new TreeMap<>();
      long next = random.nextInt(1000);
      for (int step = 0; step < 20_000; step++) {
        int op = random.nextInt(10);
        if (op < 4) { // read the next offset
          long at = 1_000 + random.nextInt(1000);
          set.put(next, at);
          reference.put(next, at);
          next++;
        } else if (op < 5 && next > 0) { // a re-read after a rewind, possibly of an offset still there
          long offset = Math.max(0, next - 1 - random.nextInt(300));
          long at = 2_000 + random.nextInt(1000);
          set.put(offset, at);
          reference.put(offset, at);
        } else if (op < 9 && !reference.isEmpty()) { // settle, mostly near the head
          long offset = random.nextInt(4) == 0 ? reference.firstKey()
              : reference.firstKey() + random.nextInt((int) Math.min(500, next - reference.firstKey()) + 1);
          Long expected = reference.remove(offset);
          assertEquals(expected == null ? -1 : expected, set.remove(offset), "seed " + seed + " step " + step);
        } else { // settle something never read or already settled
          assertEquals(reference.containsKey(next + 5) ? reference.remove(next + 5) : -1L, set.remove(next + 5));
        }
        assertEquals(reference.size(), set.size(), "seed " + seed + " step " + step);
        if (!reference.isEmpty()) {
          Map.Entry<Long, Long> first = reference.firstEntry();
          assertEquals(first.getKey(), set.first(), "seed " + seed + " step " + step);
          assertEquals(first.getValue(), set.firstReceivedAt());
        }
      }
    }
  }

  @Test
  void oneStuckOffsetAtTheHeadDoesNotKeepEverySettledOffsetAfterIt() {
    UnsettledOffsets set = new UnsettledOffsets();
    set.put(0, 1);
    for (long offset = 1; offset < 1_000_000; offset++) {
      set.put(offset, 1);
      set.remove(offset);
    }
    assertEquals(1, set.size());
    assertEquals(0, set.first());
    assertEquals(true, set.capacityForTest() <= 1024, "capacity " + set.capacityForTest());
  }
}
