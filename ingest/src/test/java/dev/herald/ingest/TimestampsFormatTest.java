package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsFormatTest {

  private static final DateTimeFormatter MILLIS_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void storedTimesAreWrittenAsTheFormatterWritesThemInEveryYear() {
    Random random = new Random(1329);
    long[] edges = {0, 1, 86_399, 86_400, 951_782_400L, 253_402_300_799L, 253_402_300_800L, -1, -86_401,
        300_000_000_000L, -62_167_219_201L};
    for (long seconds : edges) {
      Instant instant = Instant.ofEpochSecond(seconds, 999_999_999);
      assertEquals(MILLIS_UTC.format(instant), Timestamps.format(instant), instant.toString());
    }
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong() % (i % 2 == 0 ? 4_000_000_000L : 300_000_000_000L);
      Instant instant = Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000));
      assertEquals(MILLIS_UTC.format(instant), Timestamps.format(instant), instant.toString());
      assertEquals('"' + MILLIS_UTC.format(instant) + '"',
          new String(Timestamps.json(instant), java.nio.charset.StandardCharsets.UTF_8), instant.toString());
    }
  }

  @Test
  void commonTimestampsReadAsTheGeneralParserReadsThemOnEveryDayOfFourHundredYears() {
    java.time.LocalDate day = java.time.LocalDate.of(1899, 12, 25);
    while (day.getYear() < 2301) {
      assertEquals(day.toEpochDay(), Timestamps.epochDay(day.getYear(), day.getMonthValue(), day.getDayOfMonth()),
          day.toString());
      String text = day + "T23:59:58.5+01:30";
      assertEquals(Timestamps.parseGeneral(text), Timestamps.parseCommon(text), text);
      day = day.plusDays(1);
    }
    for (String text : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2100-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z"}) {
      assertEquals(Timestamps.parseGeneral(text), Timestamps.parseCommon(text), text);
    }
  }
}
