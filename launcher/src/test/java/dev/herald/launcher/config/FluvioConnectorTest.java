package dev.herald.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.router.DeliveryPolicy;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FluvioConnectorTest {

  private static final String SEED = """
      apiVersion: 0.1.0
      meta:
        version: 0.2.5
        name: amplitude-connector
        type: http-sink
        topic: service-events
        secrets:
          - name: AMPLITUDE_API_TOKEN
      http:
        endpoint: "https://api2.amplitude.com/2/httpapi"
      transforms:
        - uses: infinyon/jolt@0.3.0
          with:
            spec:
              - operation: remove
                spec:
                  timestamp: ""
              - operation: shift
                spec:
                  "event": "events[0]"
              - operation: default
                spec:
                  api_key: "${{ secrets.AMPLITUDE_API_TOKEN }}"
      """;

  private final Problems problems = new Problems();

  private DestinationConfig parse(String yaml, Map<String, String> env) {
    return FluvioConnector.parse(yaml, "connector.yaml", new Secrets(env::get), problems);
  }

  private List<String> problems() {
    return problems.list().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void theSeedFileIsAnHttpDestinationSendingOneRequestPerRecordOfItsTopic() {
    DestinationConfig d = parse(SEED, Map.of("AMPLITUDE_API_TOKEN", "tok-1"));
    assertEquals(List.of(), problems());
    assertEquals("amplitude-connector", d.id());
    assertEquals("http", d.type());
    assertEquals(List.of("service-events"), d.topics());
    assertEquals(List.of(), d.sources());
    assertEquals(new JsonObject().put("bodyMode", "single").put("endpoint", "https://api2.amplitude.com/2/httpapi")
        .put("method", "POST"), d.config());
    assertEquals(DeliveryPolicy.DEFAULT, d.delivery());
    assertEquals(3, d.transforms().size());
    String out = new String(d.transforms().transform(
        "{\"event\":{\"event_type\":\"signup\",\"user_id\":\"user-42\"},\"timestamp\":\"2026-11-29T10:00:00Z\"}"
            .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    assertEquals("{\"events\":[{\"event_type\":\"signup\",\"user_id\":\"user-42\"}],\"api_key\":\"tok-1\"}", out);
  }

  @Test
  void httpKeysReadAsFluviosHttpSinkNamesThem() {
    DestinationConfig d = parse("""
        meta: { name: hook, type: http-sink, topic: orders, secrets: [{ name: HOOK_TOKEN }] }
        http:
          endpoint: "http://127.0.0.1:9/in"
          method: PUT
          headers:
            - "Authorization: token ${{ secrets.HOOK_TOKEN }}"
            - "Content-Type: application/vnd.api+json"
          user-agent: "herald-test/1"
          http_request_timeout: 1m 30s
          http_connect_timeout: 2s
          backoff_min: 250ms
          backoff-max: 2m
        """, Map.of("HOOK_TOKEN", "t-77"));
    assertEquals(List.of(), problems());
    JsonObject c = d.config();
    assertEquals("PUT", c.getString("method"));
    assertEquals(new JsonObject().put("Authorization", "token t-77").put("Content-Type", "application/vnd.api+json")
        .put("User-Agent", "herald-test/1"), c.getJsonObject("headers"));
    assertEquals(90_000, c.getInteger("timeoutMs"));
    assertEquals(Duration.ofMillis(250), d.delivery().initialBackoff());
    assertEquals(Duration.ofMinutes(2), d.delivery().maxBackoff());
    assertFalse(d.toString().contains("t-77"), d.toString());
    assertNull(d.transforms());
  }

  @Test
  void anUnknownConnectorTypeIsRefusedNeverIgnored() {
    assertNull(parse("""
        meta: { name: pg, type: sql-sink, topic: orders }
        http: { endpoint: "http://127.0.0.1:9/" }
        """, Map.of()));
    assertEquals(List.of("meta.type: unknown connector type 'sql-sink': Herald runs http-sink connectors (as its http "
        + "destination)"), problems());
  }

  @Test
  void everyProblemOfAFileIsListedWithItsKey() {
    assertNull(parse("""
        apiVersion: 9.9.9
        meta: { name: "bad name!", type: http-sink, secrets: [{ name: MISSING_ONE }], producer: {} }
        http:
          endpoint: "ftp://example.com/"
          headers: ["no colon here"]
          interval: 3s
          http_request_timeout: soon
          backoff_min: 10m
          backoff_max: 1m
        transforms:
          - uses: infinyon/regex-filter@0.1.0
        extra: 1
        """, Map.of()));
    List<String> expected = List.of(
        "apiVersion: must be one of 0.1.0, 0.2.0",
        "meta.name: must be 1-64 letters",
        "meta.topic: is required",
        "meta.secrets[0].name: secret 'MISSING_ONE' is not set",
        "meta.producer: unknown key",
        "http.endpoint: must be an absolute http:// or https:// URL",
        "http.headers[0]: must be \"Name: value\"",
        "http.http_request_timeout: must be a duration",
        "http.backoff_min: must not exceed backoff_max",
        "http.interval: unknown key",
        "transforms[0].uses: connector 'bad name!': unsupported transform 'infinyon/regex-filter@0.1.0'",
        "extra: unknown key");
    List<String> problems = problems();
    for (String e : expected) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(e)), "missing '" + e + "' in\n" + String.join("\n", problems));
    }
    assertEquals(expected.size(), problems.size(), String.join("\n", problems));
  }

  @Test
  void connectorsListedInHeraldYamlAreReadRelativeToItAndNamedByFileInProblems(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("connectors"));
    Files.writeString(dir.resolve("connectors/amplitude.yaml"), SEED);
    Files.writeString(dir.resolve("connectors/broken.yaml"), "meta: { name: x, type: mqtt-source, topic: t }\n");
    Files.writeString(dir.resolve("connectors/dup.yaml"), "meta: { name: archive, type: http-sink, topic: t }\n"
        + "http: { endpoint: \"http://127.0.0.1:9/\" }\n");
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        sources: [{ id: web, writeKey: k }]
        destinations: [{ id: archive, type: file, config: { path: out.ndjson } }]
        connectors: [connectors/amplitude.yaml, connectors/broken.yaml, connectors/dup.yaml, connectors/absent.yaml]
        """);
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("AMPLITUDE_API_TOKEN", "tok")::get)).load(config);
    List<String> problems = loaded.problems().stream().map(ConfigProblem::toString).toList();
    assertEquals(3, problems.size(), String.join("\n", problems));
    assertTrue(problems.get(0).startsWith("connectors/broken.yaml: meta.type: unknown connector type 'mqtt-source'"),
        problems.get(0));
    assertTrue(problems.get(1).startsWith("connectors/dup.yaml: meta.name: duplicate destination id 'archive'"),
        problems.get(1));
    assertTrue(problems.get(2).startsWith("connectors/absent.yaml: no such file"), problems.get(2));
    assertEquals(List.of("archive", "amplitude-connector"),
        loaded.config().destinations().stream().map(DestinationConfig::id).toList());
  }

  @Test
  void humantimeDurationsParseAsFluvioWritesThem() {
    assertEquals(Duration.ofSeconds(15), HumanDuration.parse("15s"));
    assertEquals(Duration.ofMillis(500), HumanDuration.parse("500ms"));
    assertEquals(Duration.ofSeconds(90), HumanDuration.parse("1m 30s"));
    assertEquals(Duration.ofHours(2), HumanDuration.parse("2hours"));
    assertNull(HumanDuration.parse("soon"));
    assertNull(HumanDuration.parse("15"));
    assertNull(HumanDuration.parse(""));
  }
}
