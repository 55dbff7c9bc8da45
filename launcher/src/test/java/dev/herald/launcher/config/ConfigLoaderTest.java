package dev.herald.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.bus.log.kafka.KafkaLogOptions;
import dev.herald.bus.router.DeliveryPolicy;
import dev.herald.destination.api.Quantities;
import dev.herald.ingest.IpPolicy;
import dev.herald.ingest.RateLimit;
import dev.herald.ingest.SourceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static final Map<String, String> ENV = Map.of(
      "HERALD_ADMIN_TOKEN", "admin-s3cret", "WEB_WRITE_KEY", "wk-web-s3cret", "AMPLITUDE_API_KEY", "amp-s3cret");

  private static LoadedConfig parse(String yaml, Map<String, String> env) {
    return new ConfigLoader(new Secrets(env::get)).parse(yaml, "herald.yaml");
  }

  @Test
  void fullConfigParses() {
    LoadedConfig loaded = parse("""
        server:   { host: 0.0.0.0, port: 8080, trustProxy: true, corsOrigins: ["https://app.example.com"] }
        admin:    { host: 127.0.0.1, port: 8081, token: "${{ secrets.HERALD_ADMIN_TOKEN }}" }
        ingest:   { maxEventBytes: 32KB, maxRequestBytes: 512000, maxBatchEvents: 1000, dedupWindow: 1h }
        sources:
          - id: web
            writeKey: "${{ secrets.WEB_WRITE_KEY }}"
            ipPolicy: truncate
            rateLimit: 10000/min
          - id: backend
            writeKey: plain-key
        log:
          type: embedded
          dir: ./data
          fsync: interval
          fsyncInterval: 250ms
          retention: { maxBytes: 10GB, maxAge: 7d }
          kafka: { bootstrapServers: "localhost:9092", topic: herald.events, partitions: 12 }
        plugins: { dir: ./plugins }
        destinations:
          - id: amplitude
            type: amplitude
            topics: [analytics]
            sources: [web]
            events: { include: ["Order *"], exclude: [] }
            config: { apiKey: "${{ secrets.AMPLITUDE_API_KEY }}", api: httpv2 }
            delivery:
              batchEvents: 500
              lingerMs: 200
              maxInFlight: 2
              retry: { initialBackoff: 1s, maxBackoff: 5m, maxAge: 24h, maxAttempts: 10 }
              breaker: { failures: 5, reset: 30s }
              sendTimeout: 45s
            transforms: []
          - id: archive
            type: file
            config: { path: /tmp/out.ndjson }
        """, ENV);

    assertEquals(List.of(), loaded.problems());
    HeraldConfig c = loaded.config();
    assertEquals(new ServerConfig("0.0.0.0", 8080, true, List.of("https://app.example.com")), c.server());
    assertEquals("admin-s3cret", c.admin().token());
    assertEquals(new IngestConfig(32768, 512000, 1000, Duration.ofHours(1)), c.ingest());
    assertEquals(2, c.sources().size());
    SourceOptions web = c.sources().get(0);
    assertEquals("wk-web-s3cret", web.writeKey());
    assertEquals(IpPolicy.TRUNCATE, web.ipPolicy());
    assertEquals(new RateLimit(10000, Duration.ofMinutes(1)), web.rateLimit());
    assertEquals(IpPolicy.KEEP, c.sources().get(1).ipPolicy());
    assertNull(c.sources().get(1).rateLimit());
    assertEquals(Path.of("./data"), c.log().dir());
    assertEquals(EmbeddedLogOptions.Fsync.INTERVAL, c.log().fsync());
    assertEquals(Duration.ofMillis(250), c.log().fsyncInterval());
    assertEquals(10L * 1024 * 1024 * 1024, c.log().retentionMaxBytes());
    assertEquals(Duration.ofDays(7), c.log().retentionMaxAge());
    assertEquals(Path.of("./plugins"), c.plugins().dir());

    DestinationConfig amp = c.destinations().get(0);
    assertEquals("amplitude", amp.type());
    assertEquals(List.of("web"), amp.sources());
    assertEquals(List.of("Order *"), amp.include());
    assertEquals("amp-s3cret", amp.config().getString("apiKey"));
    assertEquals("******", amp.redactedConfig().getString("apiKey"));
    assertEquals("httpv2", amp.redactedConfig().getString("api"));
    assertFalse(amp.toString().contains("amp-s3cret"));
    assertEquals(new DeliveryPolicy(500, 200, 2, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(24), 10,
        5, Duration.ofSeconds(30), Duration.ofSeconds(45)), amp.delivery());

    // Ingest enforces every one of these settings now.
    assertEquals(List.of(), PendingSettings.describe(c));

    DestinationConfig archive = c.destinations().get(1);
    assertEquals(List.of("analytics"), archive.topics());
    assertEquals(List.of(), archive.sources());
    assertEquals(DeliveryPolicy.DEFAULT, archive.delivery());
  }

  @Test
  void startFromIsEarliestOrEndAndUnsetByDefault() {
    LoadedConfig loaded = parse("""
        sources: [{ id: web, writeKey: k }]
        destinations:
          - { id: a, type: file, startFrom: earliest }
          - { id: b, type: file, startFrom: END }
          - { id: c, type: file }
          - { id: d, type: file, startFrom: yesterday }
        """, Map.of());
    assertEquals(List.of(new ConfigProblem("destinations[3].startFrom", "must be one of default, earliest, end")),
        loaded.problems());
    assertEquals(List.of(StartFrom.EARLIEST, StartFrom.END, StartFrom.DEFAULT, StartFrom.DEFAULT),
        loaded.config().destinations().stream().map(DestinationConfig::startFrom).toList());
  }

  @Test
  void adaptiveConcurrencyIsOnByDefaultAndADeliverySettingTurnsItOff() {
    LoadedConfig loaded = parse("""
        sources: [{ id: web, writeKey: k }]
        destinations:
          - { id: a, type: file }
          - { id: b, type: file, delivery: { maxInFlight: 8, adaptiveConcurrency: false } }
          - { id: c, type: file, delivery: { adaptiveConcurrency: sometimes } }
        """, Map.of());
    assertEquals(List.of(new ConfigProblem("destinations[2].delivery.adaptiveConcurrency", "must be true or false")),
        loaded.problems());
    List<DestinationConfig> d = loaded.config().destinations();
    assertTrue(d.get(0).delivery().adaptiveConcurrency());
    assertFalse(d.get(1).delivery().adaptiveConcurrency());
    assertEquals(8, d.get(1).delivery().maxInFlight());
  }

  @Test
  void ingestJsonLimitsAndDedupMemoryParse() {
    LoadedConfig loaded = parse("""
        ingest: { maxJsonDepth: 20, maxStringLength: 4096, maxNumberLength: 50, dedupMaxEntries: 1000, dedupWindow: 0s }
        sources: [{ id: web, writeKey: k }]
        """, Map.of());
    assertEquals(List.of(), loaded.problems());
    assertEquals(new IngestConfig(32 * 1024, 500 * 1024, 1000, Duration.ZERO, 20, 4096, 50, 1000), loaded.config().ingest());
  }

  @Test
  void badIngestSettingsAreListed() {
    LoadedConfig loaded = parse("""
        server: { corsOrigins: ["https://ok.example.com", "app.example.com", "https://x.example.com/path", "*"] }
        ingest: { maxJsonDepth: 0, maxStringLength: -1, maxNumberLength: many, dedupMaxEntries: 0 }
        sources: [{ id: web, writeKey: k }]
        """, Map.of());
    List<String> problems = loaded.problems().stream().map(ConfigProblem::toString).toList();
    List<String> expected = List.of(
        "server.corsOrigins[1]: must be an origin such as https://app.example.com",
        "server.corsOrigins[2]: must be an origin such as https://app.example.com",
        "ingest.maxJsonDepth: must be an integer from 1 to 10000",
        "ingest.maxStringLength: must be a positive integer",
        "ingest.maxNumberLength: must be an integer from 1 to 10000",
        "ingest.dedupMaxEntries: must be a positive integer");
    for (String e : expected) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(e)), "missing problem '" + e + "' in " + problems);
    }
    assertEquals(expected.size(), problems.size(), () -> String.join("\n", problems));
    assertEquals(List.of("https://ok.example.com", "*"), loaded.config().server().corsOrigins());
  }

  @Test
  void rawTopicsTlsAndRequestReadTimeoutParse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"),
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("key.pem"),
        "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
    LoadedConfig loaded = parse("""
        server: { requestReadTimeout: 10s, tls: { certFile: "%s", keyFile: "%s" } }
        sources:
          - { id: web, writeKey: k1 }
          - { id: backend, writeKey: k2, rawTopics: [orders, "service-*"] }
        """.formatted(cert, key), Map.of());
    assertEquals(List.of(), loaded.problems());
    assertEquals(List.of(), loaded.config().sources().get(0).rawTopics());
    assertEquals(List.of("orders", "service-*"), loaded.config().sources().get(1).rawTopics());
    assertEquals(java.time.Duration.ofSeconds(10), loaded.config().server().requestReadTimeout());
    assertEquals(new dev.herald.ingest.TlsOptions(cert, key), loaded.config().server().tls());
    assertEquals(null, parse("sources: [{ id: web, writeKey: k }]", Map.of()).config().server().tls());
  }

  @Test
  void badRawTopicsAndTlsFilesAreListed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    LoadedConfig loaded = parse("""
        server: { requestReadTimeout: 0s, tls: { certFile: "%s" } }
        sources: [{ id: web, writeKey: k, rawTopics: ["orders/eu", ok] }]
        """.formatted(dir.resolve("missing.pem")), Map.of());
    List<String> problems = loaded.problems().stream().map(ConfigProblem::toString).toList();
    List<String> expected = List.of(
        "server.requestReadTimeout: must be",
        "server.tls.keyFile: ",
        "sources[0].rawTopics[0]: must be a topic name or a glob");
    for (String e : expected) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(e)), "missing problem '" + e + "' in " + problems);
    }
    assertEquals(expected.size(), problems.size(), () -> String.join("\n", problems));
    LoadedConfig missing = parse("""
        server: { tls: { certFile: "%s", keyFile: "%s" } }
        sources: [{ id: web, writeKey: k }]
        """.formatted(dir.resolve("missing.pem"), dir.resolve("key.pem")), Map.of());
    assertEquals(List.of("server.tls.certFile: no such file: " + dir.resolve("missing.pem")),
        missing.problems().stream().map(ConfigProblem::toString).toList());
  }

  @Test
  void minimalConfigTakesDefaults() {
    LoadedConfig loaded = parse("sources: [{ id: web, writeKey: k }]", Map.of());
    assertEquals(List.of(), loaded.problems());
    HeraldConfig c = loaded.config();
    assertEquals(ServerConfig.DEFAULT, c.server());
    assertEquals(AdminConfig.DEFAULT, c.admin());
    assertEquals(IngestConfig.DEFAULT, c.ingest());
    assertEquals(LogConfig.defaults(Path.of("data")), c.log());
    assertEquals(PluginsConfig.DEFAULT, c.plugins());
    assertEquals(List.of(), c.destinations());
  }

  @Test
  void theTraceWindowIsConfigurableAndBounded() {
    LoadedConfig small = parse("admin: { traceWindow: 500 }\nsources: [{ id: web, writeKey: k }]", Map.of());
    assertEquals(List.of(), small.problems());
    assertEquals(500, small.config().admin().traceWindow());
    LoadedConfig zero = parse("admin: { traceWindow: 0 }\nsources: [{ id: web, writeKey: k }]", Map.of());
    assertEquals(List.of("admin.traceWindow: must be an integer from 1 to 10000000"),
        zero.problems().stream().map(ConfigProblem::toString).toList());
  }

  @Test
  void badConfigListsEveryProblemAtOnce() {
    LoadedConfig loaded = parse("""
        server: { port: 99999, colour: blue }
        admin: { token: "${{ secrets.MISSING_TOKEN }}" }
        ingest: { dedupWindow: forever, maxBatchEvents: -3 }
        sources:
          - id: web
            writeKey: same
            ipPolicy: scramble
            rateLimit: lots
          - id: web
            writeKey: same
        log: { type: kafka, fsync: sometimes, retention: { maxBytes: huge } }
        destinations:
          - id: a
            type: http
            sources: [mobile]
          - id: b
            delivery:
              batchEvents: 0
              retry: { initialBackoff: 10m, maxBackoff: 1m }
              breaker: { failures: x, reset: 0s }
              sendTimeout: 0s
            transforms: [{ uses: infinyon/jolt@0.3.0 }]
          - id: a
            type: http
        surprise: true
        """, Map.of());

    List<String> problems = loaded.problems().stream().map(ConfigProblem::toString).toList();
    List<String> expected = List.of(
        "server.port: must be a port number from 0 to 65535",
        "server.colour: unknown key",
        "admin.token: secret 'MISSING_TOKEN' is not set",
        "ingest.maxBatchEvents: must be a positive integer",
        "ingest.dedupWindow: must be a duration",
        "sources[0].ipPolicy: must be one of keep, truncate, drop",
        "sources[0].rateLimit: must be a positive rate",
        "sources[1].id: duplicate source id 'web' (also sources[0])",
        "sources[1].writeKey: same write key as sources[0]",
        "log.fsync: must be one of always, interval",
        "log.retention.maxBytes: must be a size",
        "log.kafka.bootstrapServers: is required",
        "destinations[0].sources[0]: unknown source 'mobile'",
        "destinations[1].type: is required",
        "destinations[1].delivery.batchEvents: must be a positive integer",
        "destinations[1].delivery.retry.initialBackoff: must not exceed maxBackoff",
        "destinations[1].delivery.breaker.failures: must be a positive integer",
        "destinations[1].delivery.breaker.reset: must be longer than zero",
        "destinations[1].delivery.sendTimeout: must be longer than zero",
        "destinations[1].transforms[0].with: is required",
        "destinations[2].id: duplicate destination id 'a' (also destinations[0])",
        "surprise: unknown key");
    for (String e : expected) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(e)), "missing problem '" + e + "' in " + problems);
    }
    assertEquals(expected.size(), problems.size(), () -> String.join("\n", problems));

    ConfigException error = new ConfigException(loaded.problems());
    assertTrue(error.getMessage().startsWith("invalid configuration (" + expected.size() + " problems)"));
  }

  @Test
  void kafkaLogSettingsParseWithSecretsInClientProperties() {
    LoadedConfig loaded = parse("""
        sources: [{ id: web, writeKey: k }]
        log:
          type: kafka
          kafka:
            bootstrapServers: "k1:9092,k2:9092"
            topic: events.prod
            partitions: 24
            replicationFactor: 3
            createTopics: false
            compression: zstd
            lingerMs: 10
            batchBytes: 512KB
            appendTimeout: 5s
            sessionTimeout: 20s
            minInsyncReplicas: 3
            maxPendingBytes: 16MB
            clientProperties:
              security.protocol: SASL_SSL
              sasl.jaas.config: "${{ secrets.KAFKA_JAAS }}"
        """, Map.of("KAFKA_JAAS", "jaas-s3cret"));
    assertEquals(List.of(), loaded.problems());
    LogConfig log = loaded.config().log();
    assertEquals(LogConfig.Type.KAFKA, log.type());
    assertEquals(new KafkaLogOptions("k1:9092,k2:9092", "events.prod", 24, (short) 3, false, "zstd", 10, 512 * 1024,
        Duration.ofSeconds(5), Duration.ofSeconds(20),
        Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "jaas-s3cret"), 3, 16L * 1024 * 1024), log.kafka());
    assertFalse(log.toString().contains("jaas-s3cret"), "client property values stay out of logs");
  }

  @Test
  void kafkaProducerTuningParsesAndStaysWithinWhatIdempotenceAllows() {
    LoadedConfig tuned = parse("""
        sources: [{ id: web, writeKey: k }]
        log:
          type: kafka
          kafka: { bootstrapServers: "k1:9092", maxInFlight: 5, bufferMemory: 128MB }
        """, Map.of());
    assertEquals(List.of(), tuned.problems());
    KafkaLogOptions options = tuned.config().log().kafka();
    assertEquals(5, options.maxInFlight());
    assertEquals(128L * 1024 * 1024, options.bufferMemoryBytes());
    KafkaLogOptions defaults = parse("""
        sources: [{ id: web, writeKey: k }]
        log: { type: kafka, kafka: { bootstrapServers: "k1:9092" } }
        """, Map.of()).config().log().kafka();
    assertEquals(KafkaLogOptions.DEFAULT_MAX_IN_FLIGHT, defaults.maxInFlight());
    assertEquals(64L * 1024 * 1024, defaults.bufferMemoryBytes());

    List<String> problems = parse("""
        sources: [{ id: web, writeKey: k }]
        log:
          type: kafka
          kafka: { bootstrapServers: "k1:9092", maxInFlight: 6, bufferMemory: 1MB }
        """, Map.of()).problems().stream().map(ConfigProblem::toString).toList();
    for (String e : List.of("log.kafka.maxInFlight: must be a number of requests from 1 to 5",
        "log.kafka.bufferMemory: must be at least maxPendingBytes")) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(e)), "missing problem '" + e + "' in " + problems);
    }
    assertEquals(2, problems.size(), () -> String.join("\n", problems));
  }

  @Test
  void kafkaLogProblemsNameTheirKeys() {
    LoadedConfig loaded = parse("""
        sources: [{ id: web, writeKey: k }]
        log:
          type: kafka
          kafka: { bootstrapServers: "k1:9092", partitions: 0, compression: brotli, appendTimeout: 5m,
                   clientProperties: { acks: "1" }, colour: blue }
        """, Map.of());
    List<String> problems = loaded.problems().stream().map(ConfigProblem::toString).toList();
    for (String e : List.of("log.kafka.partitions: must be a positive integer", "log.kafka.colour: unknown key",
        "log.kafka.compression: must be one of lz4, zstd", "log.kafka.clientProperties.acks: is set by Herald")) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(e)), "missing problem '" + e + "' in " + problems);
    }
    assertEquals(4, problems.size(), () -> String.join("\n", problems));
    assertEquals(List.of(), parse("""
        sources: [{ id: web, writeKey: k }]
        log: { type: embedded, kafka: { compression: brotli } }
        """, Map.of()).problems(), "log.kafka is only checked in full when it is the log in use");
  }

  @Test
  void secretsResolveAndNeverAppearInProblems() {
    Map<String, String> env = Map.of("KEY", "topsecret-value", "TOKEN", "tok-value");
    LoadedConfig loaded = parse("""
        admin: { token: "${{ secrets.TOKEN }}", port: nope }
        sources:
          - { id: web, writeKey: "${{secrets.KEY}}" }
          - { id: app, writeKey: "${{ secrets.KEY }}" }
        destinations:
          - id: hook
            type: http
            config:
              endpoint: http://example.com
              headers: { Authorization: "Bearer ${{ secrets.TOKEN }}", X-Other: "${{ secrets.NOT_SET }}" }
        """, env);

    assertEquals("tok-value", loaded.config().admin().token());
    assertEquals("topsecret-value", loaded.config().sources().get(0).writeKey());
    DestinationConfig hook = loaded.config().destinations().get(0);
    assertEquals("Bearer tok-value", hook.config().getJsonObject("headers").getString("Authorization"));
    assertEquals("******", hook.redactedConfig().getString("headers"));
    assertEquals("http://example.com", hook.redactedConfig().getString("endpoint"));

    String all = new ConfigException(loaded.problems()).getMessage() + loaded.config();
    assertTrue(all.contains("destinations[0].config.headers.X-Other: secret 'NOT_SET' is not set"), all);
    assertTrue(all.contains("sources[1].writeKey: same write key as sources[0]"), all);
    assertFalse(all.contains("topsecret-value"), all);
    assertFalse(all.contains("tok-value"), all);
  }

  @Test
  void invalidYamlIsAProblemWithItsPosition() {
    LoadedConfig loaded = parse("sources: [ { id: web\n", Map.of());
    assertTrue(loaded.problems().get(0).message().startsWith("herald.yaml is not valid YAML at line"), loaded.problems().toString());
  }

  @Test
  void sizesAndDurationsTakeTheSharedNotationWithBareNumbersAsBytesAndMilliseconds() {
    LoadedConfig loaded = parse("""
        ingest: { maxEventBytes: 16kb, maxRequestBytes: "64 KB", dedupWindow: 90000 }
        sources: [{ id: web, writeKey: k, rateLimit: 50/s }]
        log: { fsync: interval, fsyncInterval: "250", segmentBytes: 2097152, retention: { maxAge: 2d } }
        """, Map.of());
    assertEquals(List.of(), loaded.problems());
    HeraldConfig c = loaded.config();
    assertEquals(16 * 1024, c.ingest().maxEventBytes());
    assertEquals(64 * 1024, c.ingest().maxRequestBytes());
    assertEquals(Duration.ofSeconds(90), c.ingest().dedupWindow());
    assertEquals(new RateLimit(50, Duration.ofSeconds(1)), c.sources().get(0).rateLimit());
    assertEquals(Duration.ofMillis(250), c.log().fsyncInterval());
    assertEquals(2L * 1024 * 1024, c.log().segmentBytes());
    assertEquals(Duration.ofDays(2), c.log().retentionMaxAge());
  }

  @Test
  void notationMistakesSayPreciselyWhatIsWrong() {
    LoadedConfig loaded = parse("""
        ingest: { dedupWindow: 1H, maxEventBytes: 1TB }
        sources: [{ id: web, writeKey: k, rateLimit: 0/min }]
        log: { fsyncInterval: 1.5s, retention: { maxAge: 1w, maxBytes: -5 } }
        """, Map.of());
    List<String> problems = loaded.problems().stream().map(ConfigProblem::toString).toList();
    assertEquals(List.of(
        "ingest.maxEventBytes: must be " + Quantities.SIZE_SYNTAX,
        "ingest.dedupWindow: must be " + Quantities.DURATION_SYNTAX + "; units are lower case (h, not H)",
        "sources[0].rateLimit: must be a positive rate such as 10000/min",
        "log.fsyncInterval: must be " + Quantities.DURATION_SYNTAX + "; the number must be whole (use a smaller unit)",
        "log.retention.maxBytes: must be " + Quantities.SIZE_SYNTAX + "; it must not be negative",
        "log.retention.maxAge: must be " + Quantities.DURATION_SYNTAX), problems);
  }

  @Test
  void ratesTakeSecondsMinutesAndHours() {
    assertEquals(new RateLimit(50, Duration.ofSeconds(1)), ConfigLoader.rate("50/s").orElseThrow());
    assertEquals(new RateLimit(50, Duration.ofSeconds(1)), ConfigLoader.rate("50 / sec").orElseThrow());
    assertEquals(new RateLimit(10_000, Duration.ofMinutes(1)), ConfigLoader.rate("10000/min").orElseThrow());
    assertEquals(new RateLimit(7, Duration.ofHours(1)), ConfigLoader.rate("7/hour").orElseThrow());
    assertTrue(ConfigLoader.rate("0/min").isEmpty());
    assertTrue(ConfigLoader.rate("5/day").isEmpty());
    assertTrue(ConfigLoader.rate("99999999999999999999/s").isEmpty());
  }

  @Test
  void aSourceWithAProblemIsLeftOutButItsIdStaysKnownToDestinations() {
    LoadedConfig loaded = parse("""
        sources: [{ id: web }, { id: app, writeKey: k }]
        destinations: [{ id: d, type: file, sources: [web, app] }]
        """, Map.of());
    assertEquals(List.of("sources[0].writeKey: is required"),
        loaded.problems().stream().map(ConfigProblem::toString).toList());
    assertEquals(List.of("app"), loaded.config().sources().stream().map(SourceOptions::id).toList());
  }
}
