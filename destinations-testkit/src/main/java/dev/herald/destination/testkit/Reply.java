package dev.herald.destination.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the {@link ScriptedServer} answers one request.
 *
 * @param kind answer, or hold the request unanswered, or drop the connection
 * @param status the HTTP status of an answer
 * @param body the answer's body (UTF-8)
 * @param headers extra answer headers
 * @param delay how long to wait before answering (zero: at once)
 */
public record Reply(Kind kind, int status, String body, Map<String, String> headers, Duration delay) {

  /** What the server does with the request. */
  public enum Kind { ANSWER, NEVER, RESET }

  public Reply {
    Objects.requireNonNull(kind, "kind");
    body = body == null ? "" : body;
    headers = Map.copyOf(headers == null ? Map.of() : headers);
    delay = delay == null ? Duration.ZERO : delay;
  }

  /** Answers {@code status} with an empty body. */
  public static Reply status(int status) {
    return new Reply(Kind.ANSWER, status, "", Map.of(), Duration.ZERO);
  }

  /** Answers {@code status} with {@code body}. */
  public static Reply status(int status, String body) {
    return new Reply(Kind.ANSWER, status, body, Map.of(), Duration.ZERO);
  }

  /** Answers {@code status} with a JSON body. */
  public static Reply json(int status, Object json) {
    return new Reply(Kind.ANSWER, status, String.valueOf(json), Map.of("Content-Type", "application/json"), Duration.ZERO);
  }

  /** Answers {@code status} after {@code delay} (a slow destination). */
  public static Reply slow(Duration delay, int status) {
    return new Reply(Kind.ANSWER, status, "", Map.of(), delay);
  }

  /** Never answers: the request stays open until the client gives up (a timeout). */
  public static Reply never() {
    return new Reply(Kind.NEVER, 0, "", Map.of(), Duration.ZERO);
  }

  /** Closes the connection without answering (a reset). */
  public static Reply reset() {
    return new Reply(Kind.RESET, 0, "", Map.of(), Duration.ZERO);
  }

  /** The same reply with one more header, e.g. {@code Retry-After}. */
  public Reply header(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Reply(kind, status, body, more, delay);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NEVER -> "never";
      case RESET -> "reset";
      case ANSWER -> status + (delay.isZero() ? "" : " after " + delay.toMillis() + " ms");
    };
  }
}
