package dev.herald.destination.amplitude;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  private static final Instant FALLBACK = Instant.parse("2000-01-01T00:00:00Z");

  @Test
  void theFastPathAgreesWithJavaTimeOnUtcTimestamps() {
    DateTimeFormatter millis = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    Random random = new Random(20261123); // fixed: a failure replays (the message names the instant too)
    for (int i = 0; i < 20_000; i++) {
      Instant instant = Instant.ofEpochMilli(random.nextLong(-2_000_000_000_000L, 8_000_000_000_000L));
      assertEquals(instant.toEpochMilli(), Timestamps.utcMillis(millis.format(instant)), millis.format(instant));
    }
    assertEquals(Instant.parse("2026-11-23T10:00:00Z").toEpochMilli(), Timestamps.utcMillis("2026-11-23T10:00:00Z"));
    assertEquals(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli(), Timestamps.utcMillis("2024-02-29T23:59:59.999999Z"));
    assertEquals(Instant.parse("2024-02-29T23:59:59.500Z").toEpochMilli(), Timestamps.utcMillis("2024-02-29T23:59:59.5Z"));
  }

  @Test
  void otherShapesGoToTheGeneralParserAndNonsenseToTheFallback() {
    assertEquals(Long.MIN_VALUE, Timestamps.utcMillis("2026-11-23T12:00:00+02:00"));
    assertEquals(Long.MIN_VALUE, Timestamps.utcMillis("2023-02-29T10:00:00Z"), "no such day");
    assertEquals(Instant.parse("2026-11-23T10:00:00Z").toEpochMilli(),
        Timestamps.millis("2026-11-23T12:00:00+02:00", null, FALLBACK));
    assertEquals(Instant.parse("2026-11-23T10:00:00Z").toEpochMilli(),
        Timestamps.millis("yesterday", "2026-11-23T10:00:00.000Z", FALLBACK), "receivedAt when timestamp is unreadable");
    assertEquals(FALLBACK.toEpochMilli(), Timestamps.millis("2023-02-29T10:00:00Z", null, FALLBACK));
    assertEquals(FALLBACK.toEpochMilli(), Timestamps.millis(null, null, FALLBACK));
  }
}
