package dev.herald.launcher.admin;

import dev.herald.bus.router.RouteSpec;
import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * What one tap connection shows: events matching its source, topic, type and event-name glob,
 * and, given a destination, only what that destination's filter accepts, as its transforms shape
 * it; then a sample of them. Built from the query, with every problem named at once.
 */
final class TapFilter {

  private final String source;
  private final String topic;
  private final String type;
  private final Pattern event;
  private final String destinationId;
  private final RouteSpec route;
  private final double sample;
  private final SplittableRandom random = new SplittableRandom();

  private TapFilter(String source, String topic, String type, Pattern event, String destinationId, RouteSpec route,
      double sample) {
    this.source = source;
    this.topic = topic;
    this.type = type;
    this.event = event;
    this.destinationId = destinationId;
    this.route = route;
    this.sample = sample;
  }

  /** The filter of the request's query, or null after answering 400/404 with the problems. */
  static TapFilter of(RoutingContext ctx, TapSource tap) {
    List<String> problems = new ArrayList<>();
    String glob = ctx.queryParams().get("event");
    String destination = ctx.queryParams().get("destination");
    double sample = 1.0;
    String sampleText = ctx.queryParams().get("sample");
    if (sampleText != null) {
      try {
        sample = Double.parseDouble(sampleText);
        if (!(sample > 0 && sample <= 1)) problems.add("sample must be above 0 and at most 1, e.g. 0.01");
      } catch (NumberFormatException e) {
        problems.add("sample must be a number above 0 and at most 1, e.g. 0.01");
      }
    }
    RouteSpec route = null;
    if (destination != null) {
      route = tap.route(destination).orElse(null);
      if (route == null) {
        Answers.unknownDestination(ctx, destination);
        return null;
      }
    }
    if (glob != null && glob.length() > 200) problems.add("event must be a glob of at most 200 characters");
    if (!problems.isEmpty()) {
      Answers.error(ctx, 400, "bad_request", String.join("; ", problems));
      return null;
    }
    return new TapFilter(ctx.queryParams().get("source"), ctx.queryParams().get("topic"), ctx.queryParams().get("type"),
        glob == null ? null : globToPattern(glob), destination, route, sample);
  }

  /**
   * The SSE data for one tapped event, or null when this tap does not show it. {@code tapped} is
   * ingest's {@code {"messageId","type","topic","source","partitionKey","receivedAt","payload"}}.
   */
  JsonObject apply(JsonObject tapped) {
    if (source != null && !source.equals(tapped.getString("source"))) return null;
    if (topic != null && !topic.equals(tapped.getString("topic"))) return null;
    if (type != null && !type.equals(tapped.getString("type"))) return null;
    JsonObject payload = tapped.getJsonObject("payload");
    if (event != null) {
      String name = payload == null ? null : payload.getValue("event") instanceof String s ? s : null;
      if (name == null || !event.matcher(name).matches()) return null;
    }
    Event asRead = null;
    if (route != null) {
      asRead = event(tapped);
      if (!route.filter().accepts(asRead, destinationId, route.type())) return null;
    }
    if (sample < 1 && random.nextDouble() >= sample) return null;
    JsonObject out = tapped.copy();
    if (route != null) {
      out.put("destination", destinationId);
      try {
        Event shaped = route.transform().apply(asRead);
        if (shaped == null) out.put("payload", null).put("transformError", "the transform yielded nothing");
        else out.put("payload", shaped.payload());
      } catch (RuntimeException e) {
        out.put("payload", null).put("transformError", String.valueOf(e.getMessage()));
      }
    }
    return out;
  }

  private static Event event(JsonObject t) {
    return new Event(t.getString("messageId"), t.getString("type"), t.getString("topic"), t.getString("source"),
        t.getString("partitionKey", t.getString("messageId")), Instant.parse(t.getString("receivedAt")),
        t.getJsonObject("payload", new JsonObject()).toBuffer());
  }

  /** {@code *} matches any text; everything else is literal. */
  static Pattern globToPattern(String glob) {
    String[] parts = glob.split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) regex.append(".*");
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }
}
