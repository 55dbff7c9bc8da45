package dev.herald.ingest;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A batch's top-level fields, and its {@code context} and {@code integrations} encoded once per
 * request, member by member, for merging under every event's own.
 */
final class Envelope {

  /** One member of the batch's context or integrations, its value as Herald writes it. */
  record Member(String name, byte[] value) {}

  private final JsonObject fields;
  private final List<Member> context;
  private final List<Member> integrations;
  private final byte[] sentAtJson;

  Envelope(JsonObject fields) {
    this.fields = fields;
    this.context = members(fields.getValue("context"));
    this.integrations = members(fields.getValue("integrations"));
    this.sentAtJson = fields.getValue("sentAt") instanceof String sentAt ? JsonText.encode(sentAt) : null;
  }

  Object get(String field) {
    return fields.getValue(field);
  }

  /** The batch's {@code sentAt} as Herald writes it, when it is a string. */
  byte[] sentAtJson() {
    return sentAtJson;
  }

  /** The batch's context members, or null when it has none to merge. */
  List<Member> context() {
    return context;
  }

  List<Member> integrations() {
    return integrations;
  }

  /** The batch context's {@code ip} value (any JSON value), or null. */
  Object contextIp() {
    return fields.getValue("context") instanceof JsonObject c ? c.getValue("ip") : null;
  }

  boolean contextHasIp() {
    return fields.getValue("context") instanceof JsonObject c && c.containsKey("ip");
  }

  private static List<Member> members(Object value) {
    if (!(value instanceof JsonObject object) || object.isEmpty()) {
      return null;
    }
    List<Member> members = new ArrayList<>(object.size());
    for (Map.Entry<String, Object> entry : object.getMap().entrySet()) {
      members.add(new Member(entry.getKey(), JsonText.encode(entry.getValue())));
    }
    return members;
  }
}
