package dev.herald.destination.http;

import dev.herald.destination.api.SendResult;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns an HTTP answer, or the lack of one, into a {@link SendResult}. Reasons name the
 * status or the kind of failure and the target host, never a header, token, path or query.
 */
final class HttpResponseClassifier {

  private final String target;
  private final Clock clock;

  HttpResponseClassifier(String target, Clock clock) {
    this.target = target;
    this.clock = clock;
  }

  /**
   * 2xx delivered; 408, 429 and 5xx but 501/505 retried after {@code Retry-After} if given;
   * every other status rejected, the batch being unacceptable as sent.
   */
  SendResult classify(int status, String retryAfterHeader, String responseExcerpt) {
    if (status >= 200 && status < 300) return SendResult.delivered();
    String reason = "HTTP " + status + " from " + target;
    if (isRetryable(status)) return new SendResult.Retry(reason, retryAfter(retryAfterHeader), status);
    return SendResult.rejected(reason, status, responseExcerpt);
  }

  /** No answer at all (refused, reset, timed out, DNS): always worth another try. */
  SendResult failure(Throwable error, int timeoutMs) {
    return new SendResult.Retry(describe(error, timeoutMs) + " (" + target + ")", null, 0);
  }

  static boolean isRetryable(int status) {
    return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
  }

  /** Seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable; never negative. */
  Duration retryAfter(String header) {
    if (header == null || header.isBlank()) return null;
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(value));
      } catch (NumberFormatException e) {
        return null; // more digits than a long: no usable hint
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Names the failure from the exception's type only: Vert.x's own messages may quote the
   * request URI, which can hold a key.
   */
  private static String describe(Throwable error, int timeoutMs) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      if (name.contains("Timeout")) return "no answer within " + timeoutMs + " ms";
      if (t instanceof ConnectException) return "connection failed (" + name + ")";
      if (t instanceof UnknownHostException) return "unknown host";
    }
    return "request failed (" + error.getClass().getSimpleName() + ")";
  }
}
