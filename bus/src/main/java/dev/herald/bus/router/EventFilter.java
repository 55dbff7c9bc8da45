package dev.herald.bus.router;

import dev.herald.destination.api.Event;
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
      String raw = PayloadFields.string(event.payloadBytes(), "event");
      return raw != null ? raw : event.topic();
    }
    String name = switch (type) {
      case "track" -> PayloadFields.string(event.payloadBytes(), "event");
      case "page", "screen" -> PayloadFields.string(event.payloadBytes(), "name");
      default -> type;
    };
    return name != null ? name : type;
  }

  /**
   * Segment's rule: a key naming this destination (its id, else its type; case-insensitive) decides,
   * {@code false} disabling and any other value, an object included, enabling; without one,
   * {@code "All": false} disables. No {@code integrations} object: enabled. Raw-topic records
   * are not subject to it. Only that object is read from the stored bytes, never the whole event.
   */
  static boolean integrationEnabled(Event event, String destinationId, String destinationType) {
    // Raw-topic records are arbitrary JSON: their fields carry no routing meaning.
    if (event.type() == null) return true;
    Map<String, PayloadFields.Flag> integrations = PayloadFields.integrations(event.payloadBytes());
    if (integrations == null || integrations.isEmpty()) return true;
    PayloadFields.Flag byId = lookup(integrations, destinationId);
    if (byId != null) return byId != PayloadFields.Flag.FALSE;
    PayloadFields.Flag byType = lookup(integrations, destinationType);
    if (byType != null) return byType != PayloadFields.Flag.FALSE;
    PayloadFields.Flag all = lookup(integrations, "All");
    return all == null || all != PayloadFields.Flag.FALSE;
  }

  /** The exact key's value, else the first case-insensitive match's; a JSON null counts as absent. */
  private static PayloadFields.Flag lookup(Map<String, PayloadFields.Flag> integrations, String key) {
    if (key == null) return null;
    PayloadFields.Flag exact = integrations.get(key);
    if (exact != null && exact != PayloadFields.Flag.NULL) return exact;
    String lower = key.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, PayloadFields.Flag> entry : integrations.entrySet()) {
      if (entry.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
        return entry.getValue() == PayloadFields.Flag.NULL ? null : entry.getValue();
      }
    }
    return null;
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
