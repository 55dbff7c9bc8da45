package dev.herald.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.transform.TransformChain;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformsConfigTest {

  private static LoadedConfig parse(String destinations, Map<String, String> env) {
    return new ConfigLoader(new Secrets(env::get)).parse("""
        sources: [{ id: web, writeKey: k }]
        destinations:
        %s
        """.formatted(destinations.indent(2)), "herald.yaml");
  }

  private static String transform(TransformChain chain, String json) {
    return new String(chain.transform(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  private static List<String> problems(LoadedConfig loaded) {
    return loaded.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void aDestinationsTransformsCompileOnceWithSecretsResolvedInsideTheSpec() {
    LoadedConfig loaded = parse("""
        - id: amp
          type: http
          topics: [service-events]
          transforms:
            - uses: jolt
              with:
                spec:
                  - { operation: shift, spec: { event: "events[0]" } }
            - uses: infinyon/jolt@0.3.0
              with:
                spec:
                  - operation: default
                    spec: { api_key: "${{ secrets.AMP_KEY }}" }
        """, Map.of("AMP_KEY", "s3cret-amp-key"));
    assertEquals(List.of(), problems(loaded));
    DestinationConfig d = loaded.config().destinations().get(0);
    assertEquals(2, d.transforms().size(), "the entries' operations form one chain");
    assertEquals("{\"events\":[{\"n\":1}],\"api_key\":\"s3cret-amp-key\"}", transform(d.transforms(), "{\"event\":{\"n\":1}}"));
    assertFalse(d.toString().contains("s3cret-amp-key"), d.toString());
  }

  @Test
  void aSpecWrittenAsJsonTextIsTheSameChain() {
    LoadedConfig loaded = parse("""
        - id: amp
          type: http
          transforms: [{ uses: jolt, with: { spec: '[{"operation":"shift","spec":{"a":"b"}}]' } }]
        """, Map.of());
    assertEquals(List.of(), problems(loaded));
    assertEquals("{\"b\":1}", transform(loaded.config().destinations().get(0).transforms(), "{\"a\":1}"));
  }

  @Test
  void noTransformsMeansNoChain() {
    LoadedConfig loaded = parse("""
        - { id: a, type: http, transforms: [] }
        - { id: b, type: http }
        """, Map.of());
    assertEquals(List.of(), problems(loaded));
    assertNull(loaded.config().destinations().get(0).transforms());
    assertNull(loaded.config().destinations().get(1).transforms());
  }

  @Test
  void aBadSpecIsAConfigProblemNamingTheDestinationTheStepAndWhereItIsWritten() {
    LoadedConfig loaded = parse("""
        - id: ok
          type: http
        - id: amp
          type: http
          transforms:
            - uses: jolt
              with:
                spec:
                  - { operation: remove, spec: { timestamp: "" } }
                  - { operation: shift, spec: { event: "events[[0]" } }
            - uses: jolt
              with:
                spec:
                  - { operation: cardinality, spec: { tags: SOME } }
        """, Map.of());
    List<String> problems = problems(loaded);
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("destinations[1].transforms[0].with.spec[1]: destination 'amp': step 2 (shift): "),
        problems.get(0));
    assertTrue(problems.get(1).startsWith(
        "destinations[1].transforms[1].with.spec[0]: destination 'amp': step 3 (cardinality): "), problems.get(1));
    assertNull(loaded.config().destinations().get(1).transforms());
  }

  @Test
  void anythingHeraldDoesNotRunIsRefusedNeverSkipped() {
    LoadedConfig loaded = parse("""
        - id: a
          type: http
          transforms:
            - uses: infinyon/regex-filter@0.1.0
              with: { regex: "x" }
            - uses: jolt
              with: { spec: [ { operation: shift, spec: {} } ], mode: fast }
            - uses: jolt
            - { uses: jolt, with: { spec: [] } }
            - uses: jolt
              with:
                spec:
                  - { operation: com.example.MyTransform, spec: {} }
                  - { operation: default, spec: { key: "${{ secrets.NOT_SET }}" } }
        """, Map.of());
    List<String> problems = problems(loaded);
    List<String> expected = List.of(
        "destinations[0].transforms[0].uses: destination 'a': unsupported transform 'infinyon/regex-filter@0.1.0': "
            + "Herald runs Jolt transforms (uses: jolt or infinyon/jolt@<version>)",
        "destinations[0].transforms[1].with.mode: unknown key (known keys: spec)",
        "destinations[0].transforms[2].with: is required",
        "destinations[0].transforms[3].with.spec: must be a non-empty list",
        "destinations[0].transforms[4].with.spec[1].spec.key: secret 'NOT_SET' is not set");
    for (String e : expected) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(e)), "missing '" + e + "' in\n" + String.join("\n", problems));
    }
    assertEquals(expected.size(), problems.size(), String.join("\n", problems));
  }

  @Test
  void aStockOperationNameIsRequiredSoNoClassIsLoadedByName() {
    LoadedConfig loaded = parse("""
        - id: a
          type: http
          transforms: [{ uses: jolt, with: { spec: [ { operation: java.lang.ProcessBuilder, spec: {} } ] } }]
        """, Map.of());
    List<String> problems = problems(loaded);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("step 1 (java.lang.ProcessBuilder): unsupported operation"), problems.get(0));
    assertNotNull(TransformChain.operations());
  }
}
