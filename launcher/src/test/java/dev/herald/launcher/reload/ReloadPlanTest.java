package dev.herald.launcher.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReloadPlanTest {

  private static final String BASE = """
      server: { host: 127.0.0.1, port: 8080 }
      sources:
          - { id: web, writeKey: key-web }
          - { id: backend, writeKey: key-backend, rateLimit: 100/s }
      destinations:
      """;

  private static final String KEEP = """
        - id: keep
          type: http
          config: { endpoint: "http://127.0.0.1:9000/a" }
          transforms:
            - uses: jolt
              with: { spec: [ { operation: shift, spec: { event: name } } ] }
      """;

  private static HeraldConfig parse(String yaml) {
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.<String, String>of()::get)).parse(yaml, "test.yaml");
    assertEquals(List.of(), loaded.problems());
    return loaded.config();
  }

  @Test
  void destinationsAreSortedIntoAddedRemovedChangedAndUnchangedById() {
    HeraldConfig before = parse(BASE + KEEP + """
          - { id: gone, type: file, config: { path: /tmp/a } }
          - { id: edited, type: file, config: { path: /tmp/b } }
          - { id: refiltered, type: file, config: { path: /tmp/c } }
          - { id: redelivered, type: file, config: { path: /tmp/d } }
        """);
    HeraldConfig after = parse(BASE + KEEP + """
          - { id: edited, type: file, config: { path: /tmp/b2 } }
          - { id: refiltered, type: file, config: { path: /tmp/c }, events: { exclude: [Ping] } }
          - { id: redelivered, type: file, config: { path: /tmp/d }, delivery: { batchEvents: 7 } }
          - { id: fresh, type: file, config: { path: /tmp/e }, startFrom: earliest }
        """);
    ReloadPlan plan = ReloadPlan.of(before, after);
    assertEquals(List.of("fresh"), plan.added());
    assertEquals(List.of("gone"), plan.removed());
    assertEquals(List.of("edited", "refiltered", "redelivered"), plan.changed());
    assertEquals(List.of("keep"), plan.unchanged(), "an equal transforms chain, compiled again, is unchanged");
    assertTrue(plan.applicable());
  }

  @Test
  void aChangedTransformOrStartFromOnlyChangesWhatRuns() {
    HeraldConfig before = parse(BASE + KEEP);
    HeraldConfig otherSpec = parse(BASE + KEEP.replace("event: name", "event: title"));
    assertEquals(List.of("keep"), ReloadPlan.of(before, otherSpec).changed());
    HeraldConfig startFrom = parse(BASE + KEEP.replace("type: http", "type: http\n    startFrom: earliest"));
    assertEquals(List.of("keep"), ReloadPlan.of(before, startFrom).unchanged(),
        "startFrom only matters to a destination without a position");
  }

  @Test
  void sourcesAreComparedWithTheirKeysLimitsAndRawTopics() {
    HeraldConfig before = parse(BASE + KEEP);
    HeraldConfig after = parse(BASE.replace("{ id: web, writeKey: key-web }", "{ id: web, writeKey: key-web2 }")
        .replace("rateLimit: 100/s", "rateLimit: 100/s, rawTopics: [orders]")
        .replace("destinations:", "    - { id: mobile, writeKey: key-mobile }\ndestinations:") + KEEP);
    ReloadPlan plan = ReloadPlan.of(before, after);
    assertEquals(List.of("mobile"), plan.sourcesAdded());
    assertEquals(List.of(), plan.sourcesRemoved());
    assertEquals(List.of("web", "backend"), plan.sourcesChanged());
    ReloadPlan back = ReloadPlan.of(after, before);
    assertEquals(List.of("mobile"), back.sourcesRemoved());
  }

  @Test
  void settingsReadOnceAtStartAreListedAsNeedingARestart() {
    HeraldConfig before = parse(BASE + KEEP);
    HeraldConfig after = parse(BASE.replace("port: 8080", "port: 8090")
        .replace("server:", "admin: { port: 9999 }\nlog: { dir: elsewhere }\ningest: { maxBatchEvents: 5 }\nserver:") + KEEP);
    ReloadPlan plan = ReloadPlan.of(before, after);
    assertEquals(List.of("server.port", "admin", "ingest", "log.dir"), plan.restartRequired());
    assertTrue(!plan.applicable());
    assertTrue(ReloadPlan.of(before, before).applicable());
  }
}
