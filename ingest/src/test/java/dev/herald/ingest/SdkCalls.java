package dev.herald.ingest;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls an SDK of the matrix makes, and the check that each arrived exactly once with its
 * fields. Every call carries a number {@code n} where the SDK keeps it whatever its state: in
 * {@code properties} (track, page, screen), {@code traits} (identify, group; RudderStack's browser
 * SDK moves an identify's traits to {@code context.traits}) or the alias's new userId.
 */
final class SdkCalls {

  static final List<String> ALL_TYPES = List.of("track", "identify", "page", "screen", "group", "alias");

  private SdkCalls() {}

  /** {@code count} calls numbered from {@code first}, cycling through {@code types}. */
  static JsonArray of(String prefix, int first, int count, List<String> types) {
    JsonArray calls = new JsonArray();
    for (int i = 0; i < count; i++) {
      int n = first + i;
      String type = types.get(i % types.size());
      JsonObject call = new JsonObject().put("type", type).put("userId", prefix + "-user-" + n);
      switch (type) {
        case "track" -> call.put("event", "Order Completed")
            .put("properties", new JsonObject().put("n", n).put("total", 9.5).put("sku", "sku-" + n));
        case "identify" -> call.put("traits", new JsonObject().put("n", n).put("email", "u" + n + "@example.com")
            .put("plan", "pro"));
        case "page" -> call.put("name", "Pricing").put("properties", new JsonObject().put("n", n).put("section", "plans"));
        case "screen" -> call.put("name", "Checkout").put("properties", new JsonObject().put("n", n));
        case "group" -> call.put("groupId", "acme-" + n).put("traits", new JsonObject().put("n", n).put("seats", 20));
        case "alias" -> call.put("userId", aliasId(prefix, n)).put("previousId", prefix + "-anon-" + n);
        default -> throw new IllegalArgumentException(type);
      }
      calls.add(call);
    }
    return calls;
  }

  private static String aliasId(String prefix, int n) {
    return prefix + "-alias-" + n;
  }

  /**
   * What is wrong with the stored events for these calls (empty when each arrived exactly once,
   * from source {@code web}, with its type and fields). {@code entries} may hold other calls' events.
   *
   * @param checkUserIds true when the SDK sets a userId per call (server SDKs), false for browser
   *     SDKs, whose userId is the identified user's
   */
  static List<String> problems(JsonArray calls, List<LogEntry> entries, boolean checkUserIds) {
    Map<String, List<Event>> byKey = new HashMap<>();
    for (LogEntry entry : entries) {
      Event event = entry.event();
      String key = keyOf(event.type(), event.payload());
      if (key != null) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
      }
    }
    List<String> problems = new ArrayList<>();
    Set<String> messageIds = new HashSet<>();
    for (int i = 0; i < calls.size(); i++) {
      JsonObject call = calls.getJsonObject(i);
      String key = keyOf(call.getString("type"), call);
      List<Event> found = byKey.getOrDefault(key, List.of());
      if (found.size() != 1) {
        problems.add(key + " arrived " + found.size() + " times" + (found.isEmpty() ? unmatched(call, entries) : ""));
        continue;
      }
      Event event = found.get(0);
      if (!messageIds.add(event.messageId())) {
        problems.add(key + " has messageId " + event.messageId() + " of another event");
      }
      if (!"web".equals(event.sourceId())) {
        problems.add(key + " came from source " + event.sourceId());
      }
      String fieldProblem = fieldProblem(call, event.payload(), checkUserIds);
      if (fieldProblem != null) {
        problems.add(key + ": " + fieldProblem + " in " + event.payload().encode());
      }
    }
    return problems;
  }

  /** For a call that did not arrive: the first stored event of its type, to show what arrived instead. */
  private static String unmatched(JsonObject call, List<LogEntry> entries) {
    for (LogEntry entry : entries) {
      if (call.getString("type").equals(entry.event().type())) {
        return " (an event of its type: " + entry.event().payload().encode() + ")";
      }
    }
    return " (no event of its type arrived)";
  }

  /** The stored messageIds of these calls' events. */
  static Set<String> messageIds(JsonArray calls, List<LogEntry> entries) {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < calls.size(); i++) {
      keys.add(keyOf(calls.getJsonObject(i).getString("type"), calls.getJsonObject(i)));
    }
    Set<String> ids = new HashSet<>();
    for (LogEntry entry : entries) {
      if (keys.contains(keyOf(entry.event().type(), entry.event().payload()))) {
        ids.add(entry.event().messageId());
      }
    }
    return ids;
  }

  private static String keyOf(String type, JsonObject event) {
    Object n = switch (String.valueOf(type)) {
      case "track", "page", "screen" -> field(event, "properties", "n");
      case "identify" -> field(event, "traits", "n") != null ? field(event, "traits", "n")
          : event.getValue("context") instanceof JsonObject context ? field(context, "traits", "n") : null;
      case "group" -> field(event, "traits", "n");
      case "alias" -> event.getValue("previousId");
      default -> null;
    };
    return n == null ? null : type + ":" + n;
  }

  private static Object field(JsonObject event, String object, String name) {
    return event.getValue(object) instanceof JsonObject inner ? inner.getValue(name) : null;
  }

  private static String fieldProblem(JsonObject call, JsonObject stored, boolean checkUserIds) {
    String type = call.getString("type");
    if (!type.equals(stored.getString("type"))) {
      return "type " + stored.getString("type");
    }
    if ((checkUserIds || type.equals("identify"))
        && !call.getString("userId").equals(stored.getString("userId"))) {
      return "userId " + stored.getValue("userId");
    }
    return switch (type) {
      case "track" -> differs(call, stored, "event") ? "event name" : missing(call, stored, "properties");
      case "page", "screen" -> differs(call, stored, "name") ? "name" : missing(call, stored, "properties");
      case "identify" -> {
        JsonObject traits = stored.getJsonObject("traits") != null ? stored : stored.getJsonObject("context");
        yield missing(call, traits, "traits");
      }
      case "group" -> differs(call, stored, "groupId") ? "groupId" : missing(call, stored, "traits");
      case "alias" -> null; // found by its previousId; analytics-next sends the identified user as userId

      default -> "unknown type";
    };
  }

  private static boolean differs(JsonObject call, JsonObject stored, String field) {
    return !call.getValue(field).equals(stored.getValue(field));
  }

  /** Every entry of the call's object is in the stored one (SDKs may add their own, e.g. page.url). */
  private static String missing(JsonObject call, JsonObject stored, String object) {
    JsonObject expected = call.getJsonObject(object);
    Object actual = stored == null ? null : stored.getValue(object);
    if (!(actual instanceof JsonObject actualObject)) {
      return object + " missing";
    }
    for (Map.Entry<String, Object> entry : expected) {
      Object value = actualObject.getValue(entry.getKey());
      boolean same = value instanceof Number a && entry.getValue() instanceof Number b
          ? a.doubleValue() == b.doubleValue() : entry.getValue().equals(value);
      if (!same) {
        return object + "." + entry.getKey() + " is " + value;
      }
    }
    return null;
  }
}
