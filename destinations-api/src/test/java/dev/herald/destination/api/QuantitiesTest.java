package dev.herald.destination.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one size and duration notation of herald.yaml and of every plugin's config. */
class QuantitiesTest {

  @Test
  void durationsTakeMillisecondsSecondsMinutesHoursAndDays() {
    assertEquals(Duration.ofMillis(250), Quantities.duration("250ms"));
    assertEquals(Duration.ofSeconds(30), Quantities.duration("30s"));
    assertEquals(Duration.ofMinutes(5), Quantities.duration("5m"));
    assertEquals(Duration.ofHours(24), Quantities.duration("24h"));
    assertEquals(Duration.ofDays(7), Quantities.duration(" 7 d "));
    assertEquals(Duration.ZERO, Quantities.duration("0s"));
  }

  @Test
  void aBareNumberIsMillisecondsWhetherWrittenAsNumberOrDigits() {
    assertEquals(Duration.ofMillis(10), Quantities.duration("10"));
    assertEquals(Duration.ofMillis(1500), Quantities.duration(1500));
    assertEquals(Duration.ofMillis(1500), Quantities.duration(1500L));
    assertEquals(123L, Quantities.size("123"));
    assertEquals(123L, Quantities.size(123));
  }

  @Test
  void durationUnitsAreLowerCaseOnlySoOneMIsNeverAGuess() {
    assertEquals("must be " + Quantities.DURATION_SYNTAX + "; units are lower case (h, not H)",
        assertThrows(IllegalArgumentException.class, () -> Quantities.duration("1H")).getMessage());
    assertEquals("must be " + Quantities.DURATION_SYNTAX + "; units are lower case (m, not M)",
        assertThrows(IllegalArgumentException.class, () -> Quantities.duration("1M")).getMessage());
  }

  @Test
  void sizesTakeBytesKilobytesMegabytesAndGigabytesInAnyCase() {
    assertEquals(512L, Quantities.size("512B"));
    assertEquals(500L * 1024, Quantities.size("500KB"));
    assertEquals(64L * 1024 * 1024, Quantities.size("64 MB"));
    assertEquals(64L * 1024 * 1024, Quantities.size("64mb"));
    assertEquals(10L * 1024 * 1024 * 1024, Quantities.size("10Gb"));
  }

  @Test
  void unknownUnitsAndGarbageNameTheNotation() {
    for (String bad : new String[] {"1w", "5 fortnights", "soon", "", "ms", "1 2s"}) {
      assertEquals("must be " + Quantities.DURATION_SYNTAX,
          assertThrows(IllegalArgumentException.class, () -> Quantities.duration(bad)).getMessage(), bad);
    }
    for (String bad : new String[] {"1TB", "lots", "KB"}) {
      assertEquals("must be " + Quantities.SIZE_SYNTAX,
          assertThrows(IllegalArgumentException.class, () -> Quantities.size(bad)).getMessage(), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> Quantities.size(true));
    assertThrows(IllegalArgumentException.class, () -> Quantities.duration(1.5));
  }

  @Test
  void negativeFractionalAndOverlongAmountsSayWhatIsWrong() {
    assertEquals("must be " + Quantities.DURATION_SYNTAX + "; it must not be negative",
        assertThrows(IllegalArgumentException.class, () -> Quantities.duration("-5s")).getMessage());
    assertEquals("must be " + Quantities.SIZE_SYNTAX + "; it must not be negative",
        assertThrows(IllegalArgumentException.class, () -> Quantities.size(-1)).getMessage());
    assertEquals("must be " + Quantities.DURATION_SYNTAX + "; the number must be whole (use a smaller unit)",
        assertThrows(IllegalArgumentException.class, () -> Quantities.duration("1.5s")).getMessage());
    assertEquals("must be " + Quantities.SIZE_SYNTAX + "; it is too large",
        assertThrows(IllegalArgumentException.class, () -> Quantities.size("9999999999GB")).getMessage());
    assertEquals("must be " + Quantities.DURATION_SYNTAX + "; it is too large",
        assertThrows(IllegalArgumentException.class, () -> Quantities.duration("99999999999999999999")).getMessage());
  }
}
