package dev.herald.destination.http;

import dev.herald.destination.api.Failures;
import dev.herald.destination.api.RetryAfter;
import dev.herald.destination.api.SendResult;
import java.time.Clock;

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
    if (isRetryable(status)) return new SendResult.Retry(reason, RetryAfter.parse(retryAfterHeader, clock), status);
    return SendResult.rejected(reason, status, responseExcerpt);
  }

  /** No answer at all (refused, reset, timed out, DNS): always worth another try. */
  SendResult failure(Throwable error, int timeoutMs) {
    return new SendResult.Retry(Failures.describe(error, timeoutMs) + " (" + target + ")", null, 0);
  }

  static boolean isRetryable(int status) {
    return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
  }
}
