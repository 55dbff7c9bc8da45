package dev.herald.launcher;

import io.vertx.core.json.JsonObject;

/** The trace of one messageId as a person reads it in a terminal. */
final class TraceText {

  private TraceText() {}

  static String of(JsonObject trace) {
    StringBuilder text = new StringBuilder("event ").append(trace.getString("messageId")).append('\n');
    JsonObject a = trace.getJsonObject("accepted");
    if (a == null) {
      text.append("accepted  (older than the trace window of ").append(trace.getJsonObject("window").getInteger("events"))
          .append(" events)\n");
    } else {
      text.append("accepted  ").append(a.getString("at")).append(" from source ").append(a.getString("source"))
          .append(", topic ").append(a.getString("topic")).append(a.getString("type") == null ? "" : " (" + a.getString("type") + ")")
          .append(", log partition ").append(a.getInteger("partition")).append(" offset ").append(a.getLong("offset")).append('\n');
    }
    for (Object o : trace.getJsonArray("destinations")) {
      JsonObject d = (JsonObject) o;
      text.append(String.format("  %-20s %s", d.getString("destination"), d.getString("state")));
      switch (d.getString("state")) {
        case "delivered" -> text.append(" at ").append(d.getString("at")).append(" in request #")
            .append(d.getLong("request")).append(" (attempt ").append(d.getInteger("attempts")).append(')');
        case "dead_lettered" -> text.append(" at ").append(d.getString("at")).append(": ").append(d.getString("reason"))
            .append(d.getInteger("status") == null ? "" : " (HTTP " + d.getInteger("status") + ")");
        case "pending" -> {
          text.append(": ").append(d.getInteger("attempts", 0)).append(" attempt(s)");
          if (d.getString("nextAttemptAt") != null) text.append(", next at ").append(d.getString("nextAttemptAt"));
          if (d.getString("reason") != null) text.append(", last: ").append(d.getString("reason"));
          if (d.getString("note") != null) text.append(" (").append(d.getString("note")).append(')');
        }
        case "filtered" -> text.append(" (its filter does not take this event)");
        default -> text.append(d.getString("note") == null ? "" : " (" + d.getString("note") + ")");
      }
      text.append('\n');
    }
    return text.toString().stripTrailing();
  }
}
