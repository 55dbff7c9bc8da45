package com.example.herald;

import dev.herald.destination.api.BoundedBody;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.codec.BodyCodec;
import java.util.List;

/**
 * Posts each batch as a JSON array of the events and says how the server answered. Herald does
 * the rest: batching to {@link #limits()}, retries with backoff, the circuit breaker, dead letters.
 * {@link #send} runs on an event loop: it only starts the request and never waits for it.
 */
final class ExampleDestination implements Destination {

  /** Connect timeout and longest silence while waiting for an answer. */
  private static final long TIMEOUT_MS = 5_000;
  /** The start of an error answer kept with the dead letters; the rest is dropped unread. */
  private static final int EXCERPT_BYTES = 1024;

  private final DestinationContext context;
  private final String url;

  ExampleDestination(DestinationContext context, String url) {
    this.context = context;
    this.url = url;
  }

  @Override
  public Limits limits() {
    return new Limits(500, 1024 * 1024, true); // 500 events or 1 MB a request; each user's events in order
  }

  @Override
  public Future<SendResult> send(List<Event> batch) {
    Buffer body = Buffer.buffer(1024).appendByte((byte) '[');
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) body.appendByte((byte) ',');
      body.appendBuffer(batch.get(i).payloadBytes()); // the stored JSON, forwarded as is
    }
    body.appendByte((byte) ']');
    BoundedBody excerpt = new BoundedBody(EXCERPT_BYTES);
    return context.webClient().postAbs(url)
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
        .connectTimeout(TIMEOUT_MS)
        .idleTimeout(TIMEOUT_MS)
        .as(BodyCodec.pipe(excerpt, true))
        .sendBuffer(body)
        .map(response -> classify(response, excerpt.text()))
        // No answer (refused, reset, timed out): worth another try. Name the failure, not the URL,
        // which may carry a key.
        .otherwise(error -> SendResult.retry("no answer: " + error.getClass().getSimpleName(), null));
  }

  /** 2xx delivered; 408, 429 and 5xx retried later; any other answer will not change: rejected. */
  private static SendResult classify(HttpResponse<Void> response, String excerpt) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) return SendResult.delivered();
    if (status == 408 || status == 429 || status >= 500) return SendResult.retry("answered " + status, null);
    return SendResult.rejected("answered " + status, status, excerpt);
  }
}
