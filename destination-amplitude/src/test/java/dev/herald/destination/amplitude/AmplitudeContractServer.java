package dev.herald.destination.amplitude;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Vert.x server on 127.0.0.1 that plays Amplitude's ingestion API by its documented rules:
 * {@code POST /2/httpapi} and {@code /batch}, a JSON body with a known {@code api_key} and a
 * non-empty {@code events} array, at most 2000 events and under 1 MB (20 MB for batch) or 413,
 * every event with an {@code event_type}, a user_id or device_id of at least {@code min_id_length}
 * (5) characters, an integer {@code time}; errors and successes answered in Amplitude's shape with
 * {@code code} in the body. It deduplicates by {@code insert_id} as Amplitude does.
 *
 * <p>It can be told to silence devices (400 {@code silenced_events}), throttle users or devices
 * (429 {@code throttled_users}/{@code throttled_devices}/{@code throttled_events}), put users or
 * devices over their daily quota (429 {@code exceeded_daily_quota_*}), use a smaller size bound,
 * or answer the next requests with scripted replies (any status, a reset, no answer).
 */
final class AmplitudeContractServer {

  static final String API_KEY = "amp-test-key-0123";
  static final Set<String> RESERVED = Set.of("[Amplitude] Start Session", "[Amplitude] End Session",
      "[Amplitude] Revenue", "[Amplitude] Revenue (Verified)", "[Amplitude] Revenue (Unverified)",
      "[Amplitude] Merged User");

  /** A scripted answer for one request. */
  record Reply(int status, String body, String retryAfter, boolean resetConnection, boolean noAnswer) {
    static Reply status(int status) {
      return new Reply(status, "{\"code\":" + status + ",\"error\":\"scripted\"}", null, false, false);
    }

    static Reply json(int status, JsonObject body) {
      return new Reply(status, body.encode(), null, false, false);
    }

    Reply withRetryAfter(String seconds) {
      return new Reply(status, body, seconds, resetConnection, noAnswer);
    }

    static Reply reset() {
      return new Reply(0, null, null, true, false);
    }

    static Reply hang() {
      return new Reply(0, null, null, false, true);
    }
  }

  /** One request as received and answered. */
  record Request(String path, int status, int events, int bodyBytes, List<String> insertIds, long atNanos) {}

  private final Vertx vertx;
  private HttpServer server;
  private final ArrayDeque<Reply> scripted = new ArrayDeque<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  /** Every event Amplitude kept, first arrival per insert_id, in arrival order. */
  private final Map<String, JsonObject> ingested = Collections.synchronizedMap(new LinkedHashMap<>());
  /** How many times each insert_id arrived in an accepted request. */
  private final Map<String, Integer> arrivals = new ConcurrentHashMap<>();

  final Set<String> silencedDevices = ConcurrentHashMap.newKeySet();
  final Set<String> throttledUsers = ConcurrentHashMap.newKeySet();
  final Set<String> throttledDevices = ConcurrentHashMap.newKeySet();
  final Set<String> quotaUsers = ConcurrentHashMap.newKeySet();
  final Set<String> quotaDevices = ConcurrentHashMap.newKeySet();
  volatile int maxBodyBytesV2 = 1_000_000;
  volatile int maxEvents = 2000;
  /** While true every request is answered 503, as during an outage (a backlog builds up). */
  volatile boolean unavailable;
  /** False keeps only the insert_ids of what arrived, not the events (a large drain). */
  volatile boolean keepEvents = true;
  private static final JsonObject NOT_KEPT = new JsonObject();

  AmplitudeContractServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts on an ephemeral port of 127.0.0.1; returns the base URL. */
  Future<String> start() {
    return vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> handle(req, body)))
        .listen(0, "127.0.0.1")
        .map(s -> {
          server = s;
          return "http://127.0.0.1:" + s.actualPort();
        });
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The next requests get these replies, in order, whatever they carry. */
  synchronized AmplitudeContractServer script(Reply... replies) {
    scripted.addAll(List.of(replies));
    return this;
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Events kept, one per insert_id, in arrival order. */
  List<JsonObject> ingested() {
    synchronized (ingested) {
      return List.copyOf(ingested.values());
    }
  }

  Map<String, JsonObject> ingestedByInsertId() {
    synchronized (ingested) {
      return new LinkedHashMap<>(ingested);
    }
  }

  /** How many distinct insert_ids arrived. */
  int ingestedCount() {
    return ingested.size();
  }

  int arrivals(String insertId) {
    return arrivals.getOrDefault(insertId, 0);
  }

  private synchronized Reply nextScripted() {
    return scripted.poll();
  }

  private void handle(HttpServerRequest req, Buffer body) {
    Reply reply = nextScripted();
    if (reply != null) {
      record(req, reply.status(), body, null);
      if (reply.resetConnection()) {
        req.connection().close();
      } else if (!reply.noAnswer()) {
        var response = req.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json");
        if (reply.retryAfter() != null) response.putHeader("Retry-After", reply.retryAfter());
        response.end(reply.body());
      }
      return;
    }
    JsonObject parsed = null;
    int status;
    JsonObject answer;
    boolean batch = req.path().equals("/batch");
    if (unavailable) {
      status = 503;
      answer = error(503, "Service unavailable");
    } else if (!req.path().equals("/2/httpapi") && !batch) {
      status = 400;
      answer = error(400, "Invalid request path");
    } else if (!"application/json".equals(req.getHeader("Content-Type"))) {
      status = 400;
      answer = error(400, "Invalid Content-Type header");
    } else if (body.length() >= (batch ? 20_000_000 : maxBodyBytesV2)) {
      status = 413;
      answer = error(413, "Payload too large");
    } else {
      try {
        parsed = new JsonObject(body);
      } catch (DecodeException | ClassCastException e) {
        parsed = null;
      }
      if (parsed == null) {
        status = 400;
        answer = error(400, "Invalid JSON request body");
      } else {
        answer = validate(parsed);
        status = answer.getInteger("code");
      }
    }
    if (status == 200) {
      answer.put("events_ingested", ingest(parsed.getJsonArray("events")))
          .put("payload_size_bytes", body.length())
          .put("server_upload_time", System.currentTimeMillis());
    }
    record(req, status, body, parsed);
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(answer.encode());
  }

  private JsonObject validate(JsonObject request) {
    if (!(request.getValue("api_key") instanceof String key) || key.isEmpty()) {
      return error(400, "Request missing required field").put("missing_field", "api_key");
    }
    if (!(request.getValue("events") instanceof JsonArray events) || events.isEmpty()) {
      return error(400, "Request missing required field").put("missing_field", "events");
    }
    if (!API_KEY.equals(key)) return error(400, "Invalid API key");
    if (events.size() > maxEvents) return error(413, "Payload too large");
    int minIdLength = 5;
    if (request.getValue("options") instanceof JsonObject options && options.getValue("min_id_length") instanceof Integer n) {
      minIdLength = n;
    }
    Map<String, JsonArray> invalid = new LinkedHashMap<>();
    Map<String, JsonArray> missing = new LinkedHashMap<>();
    Map<String, JsonArray> idLengths = new LinkedHashMap<>();
    JsonArray silenced = new JsonArray();
    JsonObject quotaUsersHit = new JsonObject();
    JsonObject quotaDevicesHit = new JsonObject();
    JsonObject throttledUsersHit = new JsonObject();
    JsonObject throttledDevicesHit = new JsonObject();
    JsonArray throttledEvents = new JsonArray();
    for (int i = 0; i < events.size(); i++) {
      if (!(events.getValue(i) instanceof JsonObject e)) {
        add(invalid, "event", i);
        continue;
      }
      Object type = e.getValue("event_type");
      if (!(type instanceof String t) || t.isEmpty()) add(missing, "event_type", i);
      else if (RESERVED.contains(t)) add(invalid, "event_type", i);
      String userId = e.getValue("user_id") instanceof String s ? s : null;
      String deviceId = e.getValue("device_id") instanceof String s ? s : null;
      if (userId == null && deviceId == null) add(missing, "user_id", i);
      if (userId != null && userId.length() < minIdLength) add(idLengths, "user_id", i);
      if (deviceId != null && deviceId.length() < minIdLength) add(idLengths, "device_id", i);
      Object time = e.getValue("time");
      if (time != null && !(time instanceof Integer || time instanceof Long)) add(invalid, "time", i);
      if (deviceId != null && silencedDevices.contains(deviceId)) silenced.add(i);
      boolean quota = false;
      if (userId != null && quotaUsers.contains(userId)) {
        quotaUsersHit.put(userId, 500_001);
        quota = true;
      }
      if (deviceId != null && quotaDevices.contains(deviceId)) {
        quotaDevicesHit.put(deviceId, 500_001);
        quota = true;
      }
      boolean throttled = false;
      if (userId != null && throttledUsers.contains(userId)) {
        throttledUsersHit.put(userId, 42);
        throttled = true;
      }
      if (deviceId != null && throttledDevices.contains(deviceId)) {
        throttledDevicesHit.put(deviceId, 42);
        throttled = true;
      }
      if (throttled || quota) throttledEvents.add(i);
    }
    if (!invalid.isEmpty() || !missing.isEmpty() || !idLengths.isEmpty() || !silenced.isEmpty()) {
      JsonObject answer = error(400, "Invalid field values on some events");
      if (!invalid.isEmpty()) answer.put("events_with_invalid_fields", new JsonObject(new LinkedHashMap<>(invalid)));
      if (!missing.isEmpty()) answer.put("events_with_missing_fields", new JsonObject(new LinkedHashMap<>(missing)));
      if (!idLengths.isEmpty()) answer.put("events_with_invalid_id_lengths", new JsonObject(new LinkedHashMap<>(idLengths)));
      if (!silenced.isEmpty()) answer.put("silenced_events", silenced);
      return answer;
    }
    if (!throttledEvents.isEmpty()) {
      return error(429, "Too many requests for some devices and users")
          .put("eps_threshold", 30)
          .put("throttled_users", throttledUsersHit)
          .put("throttled_devices", throttledDevicesHit)
          .put("exceeded_daily_quota_users", quotaUsersHit)
          .put("exceeded_daily_quota_devices", quotaDevicesHit)
          .put("throttled_events", throttledEvents);
    }
    return new JsonObject().put("code", 200);
  }

  private int ingest(JsonArray events) {
    int fresh = 0;
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.getJsonObject(i);
      String insertId = event.getString("insert_id");
      if (insertId == null) {
        insertId = "no-insert-id-" + System.nanoTime() + "-" + i; // Amplitude keeps it; so do we
      }
      arrivals.merge(insertId, 1, Integer::sum);
      if (ingested.putIfAbsent(insertId, keepEvents ? event : NOT_KEPT) == null) fresh++;
    }
    return fresh;
  }

  private void record(HttpServerRequest req, int status, Buffer body, JsonObject parsed) {
    List<String> insertIds = new ArrayList<>();
    int count = 0;
    if (parsed == null) {
      try {
        parsed = new JsonObject(body);
      } catch (RuntimeException e) {
        parsed = null;
      }
    }
    if (parsed != null && parsed.getValue("events") instanceof JsonArray events) {
      count = events.size();
      for (Object e : events) {
        if (e instanceof JsonObject o) insertIds.add(o.getString("insert_id"));
      }
    }
    requests.add(new Request(req.path(), status, count, body.length(), insertIds, System.nanoTime()));
  }

  private static void add(Map<String, JsonArray> byField, String field, int index) {
    byField.computeIfAbsent(field, f -> new JsonArray()).add(index);
  }

  private static JsonObject error(int code, String error) {
    return new JsonObject().put("code", code).put("error", error);
  }
}
