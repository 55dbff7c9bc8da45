package dev.herald.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.bus.deadletter.DeadLetterRetention;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterSettingsTest {

  private static final String SOURCES = "sources: [{ id: web, writeKey: k }]\n";

  private static LoadedConfig parse(String yaml) {
    return new ConfigLoader(new Secrets(Map.<String, String>of()::get)).parse(SOURCES + yaml, "herald.yaml");
  }

  @Test
  void deadLetterRetentionIsReadFromTheTopLevelKeyWithOneGigabyteAndNoAgeBoundByDefault() {
    assertEquals(DeadLetterRetention.DEFAULT, parse("").config().deadLetters());
    LoadedConfig set = parse("deadLetters: { maxBytes: 64MB, maxAge: 30d }");
    assertEquals(List.of(), set.problems());
    assertEquals(new DeadLetterRetention(64L * 1024 * 1024, Duration.ofDays(30)), set.config().deadLetters());
    assertEquals(0, parse("deadLetters: { maxBytes: 0 }").config().deadLetters().maxBytes(), "0: no bound");
  }

  @Test
  void badDeadLetterSettingsAreEachReported() {
    List<String> problems = parse("deadLetters: { maxBytes: 10KB, maxAge: 5s, keep: forever }").problems().stream()
        .map(ConfigProblem::toString).toList();
    assertEquals(3, problems.size(), problems.toString());
    assertEquals(true, problems.stream().anyMatch(p -> p.contains("deadLetters.maxBytes")), problems.toString());
    assertEquals(true, problems.stream().anyMatch(p -> p.contains("deadLetters.maxAge")), problems.toString());
    assertEquals(true, problems.stream().anyMatch(p -> p.contains("deadLetters.keep")), problems.toString());
  }
}
