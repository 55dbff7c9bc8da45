package dev.herald.launcher.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.herald.bus.deadletter.DeadLetterRetention;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.bus.log.kafka.KafkaLogOptions;
import dev.herald.bus.router.DeliveryPolicy;
import dev.herald.bus.transform.TransformChain;
import dev.herald.ingest.IpPolicy;
import dev.herald.ingest.RateLimit;
import dev.herald.ingest.SourceOptions;
import dev.herald.ingest.TlsOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code herald.yaml} into a {@link HeraldConfig}: every key checked, unknown keys
 * rejected, defaults filled, secrets resolved. Destination {@code config:} blocks are only
 * collected here; {@link ConfigValidator} checks them against their plugins.
 */
public final class ConfigLoader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern RAW_TOPIC_GLOB = Pattern.compile("[A-Za-z0-9._*-]{1,200}");
  private static final Pattern CORS_ORIGIN = Pattern.compile("\\*|(?i)https?://[^/\\s]+/?");
  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(s|sec|min|h|hour)");
  private static final String ID_RULE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

  private final Secrets secrets;

  public ConfigLoader(Secrets secrets) {
    this.secrets = secrets;
  }

  /** Reads a file; an unreadable file is a problem, not an exception. */
  public LoadedConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return new LoadedConfig(parse(""), List.of(new ConfigProblem("", "cannot read " + file + ": " + e.getMessage())));
    }
    return parse(text, file.toString());
  }

  public LoadedConfig parse(String yaml, String origin) {
    Problems problems = new Problems();
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      problems.add("", origin + " is not valid YAML" + where + ": " + e.getOriginalMessage());
      root = null;
    }
    HeraldConfig config = read(Section.of(root, "", problems, secrets), problems, baseDir(origin));
    return new LoadedConfig(config, problems.list());
  }

  private HeraldConfig parse(String yaml) {
    return parse(yaml, "config").config();
  }

  /** Where relative {@code connectors:} paths start: the config file's folder. */
  private static Path baseDir(String origin) {
    try {
      Path parent = Path.of(origin).toAbsolutePath().getParent();
      return parent == null ? Path.of("") : parent;
    } catch (java.nio.file.InvalidPathException notAPath) {
      return Path.of("");
    }
  }

  private HeraldConfig read(Section root, Problems problems, Path base) {
    ServerConfig server = server(root.section("server"));
    AdminConfig admin = admin(root.section("admin"));
    IngestConfig ingest = ingest(root.section("ingest"));
    Set<String> sourceIds = new HashSet<>();
    List<SourceOptions> sources = sources(root, sourceIds);
    LogConfig log = log(root.section("log"));
    PluginsConfig plugins = plugins(root.section("plugins"));
    List<DestinationConfig> destinations = ConnectorFiles.read(root.strings("connectors", List.of()), base, secrets,
        destinations(root, sourceIds), problems);
    DeadLetterRetention deadLetters = DeadLetterSettings.read(root.section("deadLetters"));
    root.rejectUnknownKeys();
    return new HeraldConfig(server, admin, ingest, sources, log, plugins, destinations, deadLetters);
  }

  private static ServerConfig server(Section s) {
    ServerConfig d = ServerConfig.DEFAULT;
    List<String> origins = s.strings("corsOrigins", d.corsOrigins());
    List<String> valid = new ArrayList<>();
    for (int i = 0; i < origins.size(); i++) {
      if (CORS_ORIGIN.matcher(origins.get(i).trim()).matches()) {
        valid.add(origins.get(i));
      } else {
        s.problem("corsOrigins[" + i + "]", "must be an origin such as https://app.example.com "
            + "(scheme://host[:port], no path) or *");
      }
    }
    ServerConfig out = new ServerConfig(host(s, d.host()), port(s, d.port()), s.bool("trustProxy", d.trustProxy()),
        valid, s.has("tls") ? tls(s.section("tls")) : null, positive(s, "requestReadTimeout", d.requestReadTimeout()));
    s.rejectUnknownKeys();
    return out;
  }

  /** {@code server.tls}: both files required, and readable as PEM (a problem names the file). */
  private static TlsOptions tls(Section s) {
    String certFile = s.requiredString("certFile");
    String keyFile = s.requiredString("keyFile");
    s.rejectUnknownKeys();
    if (certFile == null || keyFile == null) return null;
    TlsOptions tls = new TlsOptions(Path.of(certFile), Path.of(keyFile));
    String problem = tls.problem();
    if (problem != null) {
      // The message starts with the setting's full path (server.tls.certFile: …).
      String key = problem.startsWith("server.tls.keyFile") ? "keyFile" : "certFile";
      s.problem(key, problem.substring(problem.indexOf(": ") + 2));
    }
    return tls;
  }

  private static AdminConfig admin(Section s) {
    AdminConfig d = AdminConfig.DEFAULT;
    String token = s.string("token", null);
    if (token != null && token.isBlank()) {
      s.problem("token", "must not be empty (remove the key to run the admin API without a token)");
      token = null;
    }
    // Each remembered event costs ~200 bytes per destination: 10M is far beyond any sensible window.
    int traceWindow = s.integer("traceWindow", d.traceWindow(), 1, 10_000_000, "an integer from 1 to 10000000");
    AdminConfig out = new AdminConfig(host(s, d.host()), port(s, d.port()), token, traceWindow);
    if (token == null && !s.has("token") && !AdminConfig.loopback(out.host())) {
      s.problem("token", "is required when the admin API listens on '" + out.host() + "', which is not a loopback "
          + "address: set admin.token (e.g. \"${{ secrets.HERALD_ADMIN_TOKEN }}\") or admin.host: 127.0.0.1");
    }
    s.rejectUnknownKeys();
    return out;
  }

  private static IngestConfig ingest(Section s) {
    IngestConfig d = IngestConfig.DEFAULT;
    int maxEventBytes = intSize(s, "maxEventBytes", d.maxEventBytes());
    int maxRequestBytes = intSize(s, "maxRequestBytes", d.maxRequestBytes());
    int maxBatchEvents = s.positiveInt("maxBatchEvents", d.maxBatchEvents());
    Duration dedupWindow = s.duration("dedupWindow", d.dedupWindow());
    int maxJsonDepth = s.integer("maxJsonDepth", d.maxJsonDepth(), 1, 10_000, "an integer from 1 to 10000");
    int maxStringLength = s.integer("maxStringLength", d.maxStringLength(), 1, Integer.MAX_VALUE,
        "a positive integer (characters)");
    int maxNumberLength = s.integer("maxNumberLength", d.maxNumberLength(), 1, 10_000, "an integer from 1 to 10000");
    int dedupMaxEntries = s.positiveInt("dedupMaxEntries", d.dedupMaxEntries());
    if (maxEventBytes > maxRequestBytes) s.problem("maxEventBytes", "must not exceed maxRequestBytes (" + maxRequestBytes + ")");
    s.rejectUnknownKeys();
    return new IngestConfig(maxEventBytes, maxRequestBytes, maxBatchEvents, dedupWindow, maxJsonDepth, maxStringLength,
        maxNumberLength, dedupMaxEntries);
  }

  private static int intSize(Section s, String key, int defaultValue) {
    long size = s.size(key, defaultValue);
    if (size < 1 || size > Integer.MAX_VALUE) {
      s.problem(key, "must be between 1 byte and 2GB");
      return defaultValue;
    }
    return (int) size;
  }

  /**
   * {@code sources:} as ingest's own options. A source with a problem is left out (the problem
   * is reported), but its id still counts as known so destinations naming it get no second problem.
   */
  private List<SourceOptions> sources(Section root, Set<String> ids) {
    List<SourceOptions> out = new ArrayList<>();
    List<Section> sections = root.sections("sources");
    if (sections.isEmpty()) root.problem("sources", "at least one source is required (id and writeKey)");
    Map<String, String> idPaths = new HashMap<>();
    Map<String, String> keyPaths = new HashMap<>();
    for (Section s : sections) {
      String id = id(s, idPaths, "source");
      ids.add(id);
      String writeKey = s.requiredString("writeKey");
      boolean usableKey = writeKey != null && !writeKey.isBlank();
      if (usableKey) {
        String other = keyPaths.putIfAbsent(writeKey, s.path());
        if (other != null) s.problem("writeKey", "same write key as " + other + "; each source needs its own");
      }
      IpPolicy ipPolicy = s.choice("ipPolicy", IpPolicy.class, IpPolicy.KEEP);
      RateLimit rateLimit = s.parsed("rateLimit", null, ConfigLoader::rate, "a positive rate such as 10000/min");
      List<String> rawTopics = new ArrayList<>(s.strings("rawTopics", List.of()));
      for (int i = rawTopics.size() - 1; i >= 0; i--) {
        if (!RAW_TOPIC_GLOB.matcher(rawTopics.get(i)).matches()) {
          s.problem("rawTopics[" + i + "]", "must be a topic name or a glob of one (letters, digits, '.', '_', '-', "
              + "and '*' for any run of them), such as orders or service-*");
          rawTopics.remove(i);
        }
      }
      s.rejectUnknownKeys();
      if (usableKey) out.add(new SourceOptions(id, writeKey, ipPolicy, rateLimit, rawTopics));
    }
    return out;
  }

  /** {@code 10000/min} (also {@code /s}, {@code /sec}, {@code /h}, {@code /hour}); empty when malformed or zero. */
  static Optional<RateLimit> rate(String text) {
    Matcher m = RATE.matcher(text.trim());
    if (!m.matches() || m.group(1).length() > 18 || Long.parseLong(m.group(1)) == 0) return Optional.empty();
    Duration per = switch (m.group(2)) {
      case "s", "sec" -> Duration.ofSeconds(1);
      case "min" -> Duration.ofMinutes(1);
      default -> Duration.ofHours(1);
    };
    return Optional.of(new RateLimit(Long.parseLong(m.group(1)), per));
  }

  private static LogConfig log(Section s) {
    LogConfig.Type type = s.choice("type", LogConfig.Type.class, LogConfig.Type.EMBEDDED);
    Path dir = Path.of(s.string("dir", "data"));
    LogConfig d = LogConfig.defaults(dir);
    EmbeddedLogOptions.Fsync fsync = s.choice("fsync", EmbeddedLogOptions.Fsync.class, d.fsync());
    Duration fsyncInterval = positive(s, "fsyncInterval", d.fsyncInterval());
    long segmentBytes = s.size("segmentBytes", d.segmentBytes());
    if (segmentBytes < 1024 * 1024) s.problem("segmentBytes", "must be at least 1MB");
    Section retention = s.section("retention");
    long maxBytes = retention.size("maxBytes", d.retentionMaxBytes());
    Duration maxAge = positive(retention, "maxAge", d.retentionMaxAge());
    retention.rejectUnknownKeys();
    KafkaLogOptions kafka = kafka(s.section("kafka"), type == LogConfig.Type.KAFKA);
    s.rejectUnknownKeys();
    return new LogConfig(type, dir, fsync, fsyncInterval, segmentBytes, maxBytes, maxAge, kafka);
  }

  /** {@code log.kafka:}, checked in full only when it is the log in use. */
  private static KafkaLogOptions kafka(Section s, boolean inUse) {
    KafkaLogOptions d = KafkaLogOptions.defaults(null);
    String bootstrapServers = s.string("bootstrapServers", null);
    String topic = s.string("topic", d.topic());
    int partitions = s.positiveInt("partitions", d.partitions());
    int replicationFactor = s.integer("replicationFactor", d.replicationFactor(), -1, Short.MAX_VALUE,
        "a number of replicas (or -1: up to three)");
    boolean createTopics = s.bool("createTopics", d.createTopics());
    String compression = s.string("compression", d.compression());
    int lingerMs = s.integer("lingerMs", d.lingerMs(), 0, 60_000, "milliseconds from 0 to 60000");
    long batchBytes = s.size("batchBytes", d.batchBytes());
    Duration appendTimeout = positive(s, "appendTimeout", d.appendTimeout());
    Duration sessionTimeout = positive(s, "sessionTimeout", d.sessionTimeout());
    Map<String, String> clientProperties = new HashMap<>();
    s.json("clientProperties", new HashSet<>()).forEach(p -> clientProperties.put(p.getKey(), String.valueOf(p.getValue())));
    int minInsyncReplicas = s.integer("minInsyncReplicas", d.minInsyncReplicas(), -1, Short.MAX_VALUE,
        "a number of replicas (or -1: min(2, replicationFactor))");
    long maxPendingBytes = s.size("maxPendingBytes", d.maxPendingBytes());
    int maxInFlight = s.integer("maxInFlight", d.maxInFlight(), 1, 5, "a number of requests from 1 to 5");
    long bufferMemory = s.size("bufferMemory", d.bufferMemory());
    s.rejectUnknownKeys();
    KafkaLogOptions options = new KafkaLogOptions(bootstrapServers, topic, partitions, (short) replicationFactor,
        createTopics, compression, lingerMs, (int) Math.min(Integer.MAX_VALUE, batchBytes), appendTimeout,
        sessionTimeout, clientProperties, minInsyncReplicas, maxPendingBytes, maxInFlight, bufferMemory);
    if (inUse) {
      for (KafkaLogOptions.Problem p : options.check()) s.problem(p.key(), p.message());
    }
    return options;
  }

  private static PluginsConfig plugins(Section s) {
    PluginsConfig out = new PluginsConfig(Path.of(s.string("dir", PluginsConfig.DEFAULT.dir().toString())));
    s.rejectUnknownKeys();
    return out;
  }

  private List<DestinationConfig> destinations(Section root, Set<String> sourceIds) {
    Map<String, String> idPaths = new HashMap<>();
    List<DestinationConfig> out = new ArrayList<>();
    for (Section s : root.sections("destinations")) {
      String id = id(s, idPaths, "destination");
      String type = s.requiredString("type");
      List<String> topics = s.strings("topics", List.of("analytics"));
      if (topics.isEmpty()) s.problem("topics", "must name at least one topic");
      List<String> from = s.strings("sources", List.of());
      for (int i = 0; i < from.size(); i++) {
        if (!sourceIds.contains(from.get(i))) s.problem("sources[" + i + "]", "unknown source '" + from.get(i) + "'");
      }
      Section events = s.section("events");
      List<String> include = events.strings("include", List.of());
      List<String> exclude = events.strings("exclude", List.of());
      events.rejectUnknownKeys();
      Set<String> secretKeys = new LinkedHashSet<>();
      JsonObject config = s.json("config", secretKeys);
      DeliveryPolicy delivery = delivery(s.section("delivery"));
      TransformChain transforms = TransformsConfig.read(s, "destination '" + id + "'", secrets);
      StartFrom startFrom = s.choice("startFrom", StartFrom.class, StartFrom.DEFAULT);
      s.rejectUnknownKeys();
      out.add(new DestinationConfig(id, type, topics, from, include, exclude, config, secretKeys, delivery, transforms,
          startFrom));
    }
    return out;
  }

  /** Reads {@code delivery:}; the policy's rules are its own ({@link DeliveryPolicy#problems()}), listed here. */
  private static DeliveryPolicy delivery(Section s) {
    DeliveryPolicy d = DeliveryPolicy.DEFAULT;
    int batchEvents = anyInt(s, "batchEvents", d.batchEvents(), "a positive integer");
    int lingerMs = anyInt(s, "lingerMs", (int) d.lingerMs(), "an integer from 0 to " + DeliveryPolicy.MAX_LINGER_MS);
    int maxInFlight = anyInt(s, "maxInFlight", d.maxInFlight(), "an integer from 1 to " + DeliveryPolicy.MAX_IN_FLIGHT);
    boolean adaptiveConcurrency = s.bool("adaptiveConcurrency", d.adaptiveConcurrency());
    Section retry = s.section("retry");
    Duration initialBackoff = retry.duration("initialBackoff", d.initialBackoff());
    Duration maxBackoff = retry.duration("maxBackoff", d.maxBackoff());
    Duration maxAge = retry.duration("maxAge", d.maxAge());
    int maxAttempts = anyInt(retry, "maxAttempts", d.maxAttempts(), "a non-negative integer (0 = no bound)");
    retry.rejectUnknownKeys();
    Section breaker = s.section("breaker");
    int failures = anyInt(breaker, "failures", d.breakerFailures(), "a positive integer");
    Duration reset = breaker.duration("reset", d.breakerReset());
    breaker.rejectUnknownKeys();
    Duration sendTimeout = s.duration("sendTimeout", d.sendTimeout());
    s.rejectUnknownKeys();
    DeliveryPolicy policy = new DeliveryPolicy(batchEvents, lingerMs, maxInFlight, initialBackoff, maxBackoff, maxAge,
        maxAttempts, failures, reset, sendTimeout, adaptiveConcurrency);
    policy.problems().forEach(p -> s.problem(p.key(), p.message()));
    return policy;
  }

  /** Any integer (the policy checks its range); {@code expected} says what a non-integer should have been. */
  private static int anyInt(Section s, String key, int defaultValue, String expected) {
    return s.integer(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE, expected);
  }

  private static Duration positive(Section s, String key, Duration defaultValue) {
    Duration d = s.duration(key, defaultValue);
    if (d.isZero()) {
      s.problem(key, "must be longer than zero");
      return defaultValue;
    }
    return d;
  }

  private static String id(Section s, Map<String, String> seen, String what) {
    String id = s.requiredString("id");
    if (id == null || id.isBlank()) return "?";
    if (!ID.matcher(id).matches()) s.problem("id", ID_RULE);
    String other = seen.putIfAbsent(id, s.path());
    if (other != null) s.problem("id", "duplicate " + what + " id '" + id + "' (also " + other + ")");
    return id;
  }

  private static String host(Section s, String defaultValue) {
    return s.string("host", defaultValue);
  }

  private static int port(Section s, int defaultValue) {
    return s.integer("port", defaultValue, 0, 65535, "a port number from 0 to 65535");
  }
}
