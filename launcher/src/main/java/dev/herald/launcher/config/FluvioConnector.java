package dev.herald.launcher.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.herald.bus.router.DeliveryPolicy;
import dev.herald.bus.transform.TransformChain;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Fluvio connector file read as a Herald destination, unchanged:
 * <ul>
 *   <li>{@code meta.name} → the destination id, {@code meta.type: http-sink} → the {@code http}
 *       destination sending one request per record ({@code bodyMode: single}), {@code meta.topic}
 *       → the raw topic it reads, {@code meta.secrets} → names that must be set;</li>
 *   <li>{@code http.*} as Fluvio's http-sink reads them: {@code endpoint}, {@code method},
 *       {@code headers} ({@code "Name: value"} strings), {@code user_agent},
 *       {@code http_request_timeout}, {@code http_connect_timeout}, {@code backoff_min},
 *       {@code backoff_max} (each also with dashes);</li>
 *   <li>{@code transforms} ({@code uses: infinyon/jolt@…}) → the destination's Jolt chain.</li>
 * </ul>
 * Any other connector type, transform or key is a problem: nothing in the file is skipped.
 */
final class FluvioConnector {

  static final String HTTP_SINK = "http-sink";

  private static final Logger LOG = LoggerFactory.getLogger(FluvioConnector.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final List<String> API_VERSIONS = List.of("0.1.0", "0.2.0");

  private FluvioConnector() {}

  /**
   * The destination {@code yaml} describes, or null when it has problems; each problem goes to
   * {@code problems} with its key (e.g. {@code meta.type}).
   */
  static DestinationConfig parse(String yaml, String origin, Secrets secrets, Problems problems) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      problems.add("", "is not valid YAML: " + e.getOriginalMessage());
      return null;
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      problems.add("", "is empty");
      return null;
    }
    int before = problems.list().size();
    Section file = Section.of(root, "", problems, secrets);
    String apiVersion = file.string("apiVersion", "0.1.0");
    if (!API_VERSIONS.contains(apiVersion)) {
      file.problem("apiVersion", "must be one of " + String.join(", ", API_VERSIONS));
    }
    Section meta = file.section("meta");
    meta.string("version", null); // the connector's version: nothing for Herald to run
    String name = meta.requiredString("name");
    if (name != null && !NAME.matcher(name).matches()) {
      meta.problem("name", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    String type = meta.requiredString("type");
    if (type != null && !type.isBlank() && !HTTP_SINK.equals(type)) {
      // The rest of the file is that connector's own: checking it as an http-sink would only confuse.
      meta.problem("type", "unknown connector type '" + type + "': Herald runs " + HTTP_SINK
          + " connectors (as its http destination)");
      return null;
    }
    String topic = meta.requiredString("topic");
    if (topic != null && (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))) {
      meta.problem("topic", "a topic name is 1 to 200 characters of letters, digits, '.', '_' and '-'");
    }
    requireSecrets(meta, secrets);
    if (meta.has("consumer")) {
      LOG.warn("{}: meta.consumer is not used: Herald keeps its own cursor for connector '{}', starting at the "
          + "oldest retained record and resuming where it stopped", origin, name);
    }
    meta.rejectUnknownKeys();

    Section http = file.section("http");
    JsonObject config = httpConfig(http);
    DeliveryPolicy delivery = backoff(http);
    http.rejectUnknownKeys();
    TransformChain transforms = TransformsConfig.read(file, "connector '" + name + "'", secrets);
    file.rejectUnknownKeys();
    if (problems.list().size() > before) return null;
    Set<String> secretKeys = new HashSet<>(config.containsKey("headers") ? Set.of("headers") : Set.of());
    JsonNode endpoint = http.raw("endpoint");
    if (endpoint != null && Secrets.references(endpoint.asText())) secretKeys.add("endpoint");
    return new DestinationConfig(name, "http", List.of(topic), List.of(), List.of(), List.of(), config, secretKeys,
        delivery, transforms);
  }

  private static void requireSecrets(Section meta, Secrets secrets) {
    for (Section s : meta.sections("secrets")) {
      String secret = s.requiredString("name");
      if (secret != null && !SECRET_NAME.matcher(secret).matches()) {
        s.problem("name", "must be letters, digits and '_', not starting with a digit");
      } else if (secret != null && !secrets.isSet(secret)) {
        s.problem("name", "secret '" + secret + "' is not set (set it in the environment or the --secrets file)");
      }
      s.rejectUnknownKeys();
    }
  }

  /** The http destination's config: one request per record, as the http-sink sends them. */
  private static JsonObject httpConfig(Section http) {
    JsonObject config = new JsonObject().put("bodyMode", "single");
    String endpoint = http.requiredString("endpoint");
    if (endpoint != null && !isHttpUrl(endpoint)) {
      http.problem("endpoint", "must be an absolute http:// or https:// URL");
    } else if (endpoint != null) {
      config.put("endpoint", endpoint);
    }
    config.put("method", http.string("method", "POST"));
    JsonObject headers = new JsonObject();
    List<String> lines = http.strings("headers", List.of());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      String headerName = colon < 0 ? "" : line.substring(0, colon).trim();
      if (!HEADER_NAME.matcher(headerName).matches()) {
        http.problem("headers[" + i + "]", "must be \"Name: value\" with a valid header name");
        continue;
      }
      headers.put(headerName, line.substring(colon + 1).trim());
    }
    String userAgent = either(http, "user_agent", null);
    if (userAgent != null) headers.put("User-Agent", userAgent);
    if (!headers.isEmpty()) config.put("headers", headers);
    Duration timeout = duration(http, "http_request_timeout", null);
    Duration connectTimeout = duration(http, "http_connect_timeout", null);
    // Herald's http destination has one timeout, for the connection and for each wait on the answer.
    Duration effective = timeout != null ? timeout : connectTimeout;
    if (effective != null) config.put("timeoutMs", (int) Math.min(Integer.MAX_VALUE, Math.max(1, effective.toMillis())));
    return config;
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return uri.getHost() != null && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static DeliveryPolicy backoff(Section http) {
    DeliveryPolicy d = DeliveryPolicy.DEFAULT;
    Duration min = duration(http, "backoff_min", d.initialBackoff());
    Duration max = duration(http, "backoff_max", d.maxBackoff());
    if (min.compareTo(max) > 0) {
      http.problem("backoff_min", "must not exceed backoff_max");
      return d;
    }
    return new DeliveryPolicy(d.batchEvents(), d.lingerMs(), d.maxInFlight(), min, max, d.maxAge(), d.maxAttempts(),
        d.breakerFailures(), d.breakerReset());
  }

  /** A key Fluvio spells with underscores, also accepted with dashes (never both). */
  private static String either(Section s, String snake, String defaultValue) {
    String kebab = snake.replace('_', '-');
    String a = s.string(snake, null);
    String b = s.string(kebab, null);
    if (a != null && b != null) s.problem(kebab, "is the same setting as " + snake + ": write only one");
    return a != null ? a : b != null ? b : defaultValue;
  }

  private static Duration duration(Section s, String snake, Duration defaultValue) {
    String text = either(s, snake, null);
    if (text == null) return defaultValue;
    Duration d = HumanDuration.parse(text);
    if (d == null || d.isZero()) {
      s.problem(snake, "must be a duration such as 500ms, 15s, 1m or 1h 30m");
      return defaultValue;
    }
    return d;
  }
}
