package dev.herald.bus.router;

import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which events a destination receives: by topic, by source, by event name ({@code events.include}
 * / {@code events.exclude} globs where {@code *} matches any text), and by the event's own
 * Segment {@code integrations} object.
 *
 * <p>The event name is the payload's {@code event} for track, its {@code name} for page and screen
 * (the type when absent), the type for the other Segment types, and the payload's string
 * {@code event} field (else the topic) for raw-topic records.
 */
public final class EventFilter {

  public static final String DEFAULT_TOPIC = "analytics";

  private final Set<String> topics;
  private final Set<String> sources;
  private final List<Pattern> include;
  private final List<Pattern> exclude;
  private final List<String> includeGlobs;
  private final List<String> excludeGlobs;

  /**
   * @param topics topics to read; empty means {@code analytics} only
   * @param sources source ids to accept; empty means all
   * @param include event-name globs to accept; empty means all
   * @param exclude event-name globs to drop (applied after include)
   */
  public EventFilter(Set<String> topics, Set<String> sources, List<String> include, List<String> exclude) {
    this.topics = topics == null || topics.isEmpty() ? Set.of(DEFAULT_TOPIC) : Set.copyOf(topics);
    this.sources = sources == null ? Set.of() : Set.copyOf(sources);
    this.includeGlobs = include == null ? List.of() : List.copyOf(include);
    this.excludeGlobs = exclude == null ? List.of() : List.copyOf(exclude);
    this.include = includeGlobs.stream().map(EventFilter::globToPattern).toList();
    this.exclude = excludeGlobs.stream().map(EventFilter::globToPattern).toList();
  }

  /** Every analytics event from every source. */
  public static EventFilter defaults() {
    return new EventFilter(Set.of(), Set.of(), List.of(), List.of());
  }

  public Set<String> topics() { return topics; }

  public Set<String> sources() { return sources; }

  public List<String> include() { return includeGlobs; }

  public List<String> exclude() { return excludeGlobs; }

  /** Whether the destination with this id and type should receive {@code event}. */
  public boolean accepts(Event event, String destinationId, String destinationType) {
    if (!topics.contains(event.topic())) return false;
    if (!sources.isEmpty() && !sources.contains(event.sourceId())) return false;
    if (!include.isEmpty() || !exclude.isEmpty()) {
      String name = eventName(event);
      if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(name).matches())) return false;
      if (exclude.stream().anyMatch(p -> p.matcher(name).matches())) return false;
    }
    return integrationEnabled(event, destinationId, destinationType);
  }

  /** The name the include/exclude globs match against. */
  public static String eventName(Event event) {
    String type = event.type();
    if (type == null) {
      String raw = event.payloadString("event");
      return raw != null ? raw : event.topic();
    }
    String name = switch (type) {
      case "track" -> event.payloadString("event");
      case "page", "screen" -> event.payloadString("name");
      default -> type;
    };
    return name != null ? name : type;
  }

  /**
   * Segment's rule: a key naming this destination (its id, else its type; case-insensitive) decides,
   * {@code false} disabling and any other value, an object included, enabling; without one,
   * {@code "All": false} disables. No {@code integrations} object: enabled. Raw-topic records
   * are not subject to it.
   */
  static boolean integrationEnabled(Event event, String destinationId, String destinationType) {
    // Raw-topic records are arbitrary JSON: their fields carry no routing meaning.
    Object raw = event.type() == null ? null : integrationsOf(event);
    if (!(raw instanceof JsonObject integrations) || integrations.isEmpty()) {
      return true;
    }
    Object byId = lookup(integrations, destinationId);
    if (byId != null) return isEnabled(byId);
    Object byType = lookup(integrations, destinationType);
    if (byType != null) return isEnabled(byType);
    Object all = lookup(integrations, "All");
    return all == null || isEnabled(all);
  }

  private static Object integrationsOf(Event event) {
    // Most events carry no integrations object: skip the payload copy for them.
    if (!contains(event.payloadBytes(), INTEGRATIONS_KEY)) return null;
    return event.payload().getValue("integrations");
  }

  private static final byte[] INTEGRATIONS_KEY = "\"integrations\"".getBytes(StandardCharsets.UTF_8);

  private static boolean contains(Buffer haystack, byte[] needle) {
    // One bulk copy, then a plain array scan: Buffer.getByte checks the reference count per call.
    byte[] bytes = haystack.getBytes();
    int last = bytes.length - needle.length;
    byte first = needle[0];
    outer:
    for (int i = 0; i <= last; i++) {
      if (bytes[i] != first) continue;
      for (int j = 1; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }


  private static Object lookup(JsonObject integrations, String key) {
    if (key == null) return null;
    Object exact = integrations.getValue(key);
    if (exact != null) return exact;
    for (Map.Entry<String, Object> entry : integrations) {
      if (entry.getKey().toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
        return entry.getValue();
      }
    }
    return null;
  }

  private static boolean isEnabled(Object value) {
    return !Boolean.FALSE.equals(value);
  }

  static Pattern globToPattern(String glob) {
    StringBuilder regex = new StringBuilder();
    int start = 0;
    for (int i = 0; i < glob.length(); i++) {
      if (glob.charAt(i) == '*') {
        if (i > start) regex.append(Pattern.quote(glob.substring(start, i)));
        regex.append(".*");
        start = i + 1;
      }
    }
    if (start < glob.length()) regex.append(Pattern.quote(glob.substring(start)));
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  @Override
  public String toString() {
    return "EventFilter{topics=" + topics + ", sources=" + sources + ", include=" + includeGlobs
        + ", exclude=" + excludeGlobs + "}";
  }
}
