package dev.herald.destination.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A total deadline on every request of the {@link WebClient} Herald hands a destination: its
 * delivery {@code sendTimeout}. The WebClient's own timeouts bound the connect and each silence
 * only, so a destination that trickles its answer would keep a request running past the runner's
 * send timeout, and the runner's resend would then overlap it (a duplicate on a slow destination).
 * With the deadline the request is reset (its connection closed) when the send times out, before
 * any resend. Installed by Herald, not by plugins.
 */
public final class RequestDeadline {

  private RequestDeadline() {}

  /** Why a request was abandoned: it had no complete answer within the send timeout. */
  public static final class Exceeded extends TimeoutException {
    public Exceeded(long timeoutMs) {
      super("no complete answer within " + timeoutMs + " ms");
    }
  }

  /**
   * Bounds every request of {@code client} (created by {@link WebClient#create}) to {@code timeout}
   * from the moment it is prepared. Returns the client.
   */
  public static WebClient install(Vertx vertx, WebClient client, Duration timeout) {
    long timeoutMs = Math.max(1, timeout.toMillis());
    // Vert.x offers no total request timeout; an interceptor of the client is where the request is reachable.
    ((WebClientInternal) client).addInterceptor(ctx -> {
      if (ctx.phase() == ClientPhase.PREPARE_REQUEST) {
        arm(vertx, ctx, timeoutMs);
      } else if (ctx.phase() == ClientPhase.SEND_REQUEST && ctx.clientRequest() != null) {
        // The context forgets its request once the answer comes in: keep it to reset later.
        ctx.set(REQUEST, ctx.clientRequest());
      }
      ctx.next();
    });
    return client;
  }

  private static final String REQUEST = "herald.deadline.request";

  private static void arm(Vertx vertx, HttpContext<?> ctx, long timeoutMs) {
    long timer = vertx.setTimer(timeoutMs, t -> {
      HttpClientRequest request = ctx.get(REQUEST);
      // Not sent yet: still connecting, which the connect timeout bounds.
      if (request != null) request.reset(0, new Exceeded(timeoutMs));
    });
    ctx.future().onComplete(ar -> vertx.cancelTimer(timer));
  }
}
