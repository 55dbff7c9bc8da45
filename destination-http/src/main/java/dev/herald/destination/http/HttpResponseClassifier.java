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
  private final HttpSinkConfig config;

  HttpResponseClassifier(HttpSinkConfig config, Clock clock) {
    this.target = config.target();
    this.clock = clock;
    this.config = config;
  }

  /**
   * 2xx delivered; then the first configured list the status is in decides: a setup error (by
   * default 401, 403, 407: the destination parks as misconfigured), a retry after
   * {@code Retry-After} if given (408, 429 and 5xx but 501/505), or a rejection (the batch being
   * unacceptable as sent; also any status in no list).
   */
  SendResult classify(int status, String retryAfterHeader, String responseExcerpt) {
    if (status >= 200 && status < 300) return SendResult.delivered();
    String reason = "HTTP " + status + " from " + target;
    if (config.setupErrorStatuses().contains(status)) {
      return SendResult.setupError(reason + ": check the credentials and endpoint", status, responseExcerpt);
    }
    if (config.retryStatuses().contains(status)) {
      return new SendResult.Retry(reason, RetryAfter.parse(retryAfterHeader, clock), status);
    }
    return SendResult.rejected(reason, status, responseExcerpt);
  }

  /** No answer at all (refused, reset, timed out, DNS): always worth another try. */
  SendResult failure(Throwable error, int timeoutMs) {
    return new SendResult.Retry(Failures.describe(error, timeoutMs) + " (" + target + ")", null, 0);
  }
}
