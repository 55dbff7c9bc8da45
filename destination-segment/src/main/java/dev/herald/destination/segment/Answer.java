package dev.herald.destination.segment;

import dev.herald.destination.api.RetryAfter;
import dev.herald.destination.api.SendResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * What one {@code /v1/batch} answer means for the messages of the request: a verdict for all of
 * them, or (a Herald receiver's 200 listing refused items by index) one per message; and whether
 * the request must be split because the receiver found it too large. Reasons name the status and
 * the receiver's {@code scheme://host:port}, never the write key, a path or a query.
 */
final class Answer {

  /** Bytes of the receiver's message quoted in a reason; the excerpt keeps more. */
  static final int REASON_QUOTE = 200;
  /** Bytes of the answer kept as a dead letter's excerpt. */
  static final int EXCERPT = 1024;

  private final String target;
  private final Clock clock;

  Answer(String target, Clock clock) {
    this.target = target;
    this.clock = clock;
  }

  /** True when the receiver refused the request only for its size: the halves can go. */
  static boolean tooLarge(int status, List<Message> request) {
    return status == 413 && request.size() > 1;
  }

  /** Sets every message's outcome from the answer {@code status} with its body {@code text}. */
  void classify(int status, String retryAfter, String text, List<Message> request) {
    String reason = "HTTP " + status + " from " + target;
    String excerpt = text.length() > EXCERPT ? text.substring(0, EXCERPT) : text;
    if (status >= 200 && status < 300) {
      delivered(text, request);
      return;
    }
    SendResult all;
    if (status == 408 || status == 429 || status >= 500) {
      all = new SendResult.Retry(reason, RetryAfter.parse(retryAfter, clock), status);
    } else if (status == 401 || status == 403 || status == 407) {
      all = SendResult.setupError(reason + ": the write key was refused" + quoted(text), status, excerpt);
    } else if (status == 404 || (status >= 300 && status < 400)) {
      all = SendResult.setupError(reason + ": no Segment-compatible API at this endpoint (check 'endpoint')",
          status, excerpt);
    } else if (status == 413) {
      all = SendResult.rejected(reason + ": the event alone is too large for the receiver" + quoted(text), status, excerpt);
    } else {
      all = SendResult.rejected(reason + quoted(text), status, excerpt);
    }
    for (Message m : request) m.outcome = all;
  }

  /**
   * 2xx: delivered, except the items a Herald receiver lists in {@code errors} (it takes the valid
   * items of a batch and answers 200): those are refused for good, with the receiver's reason.
   * Segment and RudderStack answer 200 without such a list.
   */
  private void delivered(String text, List<Message> request) {
    for (Message m : request) m.outcome = SendResult.delivered();
    JsonArray errors = errors(text);
    if (errors == null) return;
    for (Object item : errors) {
      if (!(item instanceof JsonObject error) || !(error.getValue("index") instanceof Integer index)
          || index < 0 || index >= request.size()) {
        continue;
      }
      String why = error.getString("code", "refused") + ": " + error.getString("message", "");
      request.get(index).outcome = SendResult.rejected("refused by " + target + ": " + cut(why), 200, cut(error.encode()));
    }
  }

  private static JsonArray errors(String text) {
    if (!text.startsWith("{") || !text.contains("\"errors\"")) return null;
    try {
      return new JsonObject(text).getValue("errors") instanceof JsonArray a && !a.isEmpty() ? a : null;
    } catch (RuntimeException e) {
      return null; // not JSON, or cut at the body bound: nothing to read per item
    }
  }

  /** The receiver's own message: its JSON {@code message}, else the start of its body. */
  private static String quoted(String text) {
    String message = text;
    if (text.startsWith("{")) {
      try {
        Object m = new JsonObject(text).getValue("message");
        if (m instanceof String s) message = s;
      } catch (RuntimeException e) {
        // not JSON: quote the text itself
      }
    }
    message = message.strip();
    return message.isEmpty() ? "" : ": " + cut(message);
  }

  private static String cut(String text) {
    return text.length() > REASON_QUOTE ? text.substring(0, REASON_QUOTE) + "…" : text;
  }
}
