package dev.herald.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Writes the JSON bodies of the ingest API. */
final class IngestResponses {

  static final String JSON = "application/json";
  static final int RETRY_AFTER_SECONDS = 5;
  /** The header value pre-encoded once, so no answer validates or encodes it again. */
  private static final CharSequence JSON_TYPE = HttpHeaders.createOptimized(JSON);
  /**
   * The answer to nearly every single-event request, encoded once: a Buffer is sliced, not
   * consumed, when written, so one instance serves every response on every event loop.
   */
  private static final Buffer ONE_ACCEPTED = successBody(1, 0);
  private static final Buffer ONE_DUPLICATE = successBody(0, 1);

  private IngestResponses() {}

  /** An event a request could not take, reported by its position in the request. */
  record EventError(int index, String messageId, ErrorCode code, String message) {

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("index", index);
      if (messageId != null) {
        json.put("messageId", messageId);
      }
      return json.put("code", code.wireName()).put("message", message);
    }
  }

  /** 200 once the accepted events are durable; duplicates were acknowledged, not appended. */
  static void accepted(HttpServerResponse response, int accepted, int duplicates, List<EventError> errors) {
    if (errors.isEmpty()) {
      Buffer body = accepted == 1 && duplicates == 0 ? ONE_ACCEPTED
          : accepted == 0 && duplicates == 1 ? ONE_DUPLICATE : successBody(accepted, duplicates);
      send(response, 200, body);
      return;
    }
    JsonObject body = new JsonObject()
        .put("success", true)
        .put("accepted", accepted)
        .put("rejected", errors.size())
        .put("duplicates", duplicates)
        .put("errors", toJson(errors));
    send(response, 200, body);
  }

  /** 400 for a batch none of whose events is valid, with every event's reason. */
  static void noneAccepted(HttpServerResponse response, List<EventError> errors) {
    JsonObject body = errorBody(ErrorCode.INVALID_EVENT,
            "none of the batch's " + errors.size() + " events is valid; see errors")
        .put("accepted", 0)
        .put("rejected", errors.size())
        .put("errors", toJson(errors));
    send(response, ErrorCode.INVALID_EVENT.status(), body);
  }

  static void error(HttpServerResponse response, ErrorCode code, String message) {
    if (code == ErrorCode.LOG_UNAVAILABLE) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
    }
    send(response, code.status(), errorBody(code, message));
  }

  /** 429 with the seconds until the source's bucket holds enough tokens again. */
  static void rateLimited(HttpServerResponse response, long retryAfterSeconds, String message) {
    if (!response.headWritten()) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    send(response, ErrorCode.RATE_LIMITED.status(), errorBody(ErrorCode.RATE_LIMITED, message)
        .put("retryAfter", retryAfterSeconds));
  }

  private static JsonObject errorBody(ErrorCode code, String message) {
    return new JsonObject().put("success", false).put("code", code.wireName()).put("message", message);
  }

  private static JsonArray toJson(List<EventError> errors) {
    JsonArray array = new JsonArray();
    for (EventError error : errors) {
      array.add(error.toJson());
    }
    return array;
  }

  /**
   * What {@link #accepted} answers when no event was rejected, written directly: the same bytes
   * Vert.x's encoder writes for the same {@code JsonObject}, without building one.
   */
  static Buffer successBody(int accepted, int duplicates) {
    return Buffer.buffer("{\"success\":true,\"accepted\":" + accepted + ",\"rejected\":0,\"duplicates\":" + duplicates
        + ",\"errors\":[]}");
  }

  private static void send(HttpServerResponse response, int status, JsonObject body) {
    send(response, status, body.toBuffer());
  }

  private static void send(HttpServerResponse response, int status, Buffer body) {
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE).end(body);
  }
}
