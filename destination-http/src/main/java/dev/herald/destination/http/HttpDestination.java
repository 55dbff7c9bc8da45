package dev.herald.destination.http;

import dev.herald.destination.api.BoundedBody;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One configured {@code http} destination: one request per batch (per event in
 * {@code single} mode) through the framework's {@link WebClient}, answer classified by
 * {@link HttpResponseClassifier}. Sends once and never retries by itself.
 */
public final class HttpDestination implements Destination {

  /** Bytes of a response kept for a rejection's excerpt. */
  static final int EXCERPT_LIMIT = 1024;

  private final DestinationContext context;
  private final HttpSinkConfig config;
  private final HttpRequestBuilder requests;
  private final HttpResponseClassifier classifier;

  HttpDestination(DestinationContext context, HttpSinkConfig config) {
    this.context = context;
    this.config = config;
    this.requests = new HttpRequestBuilder(config);
    this.classifier = new HttpResponseClassifier(config, Clock.systemUTC());
  }

  @Override
  public Future<Void> start() {
    context.logger().info("http destination '{}' sends to {}", context.destinationId(), config);
    return Future.succeededFuture();
  }

  @Override
  public Future<SendResult> send(List<Event> batch) {
    if (batch.isEmpty()) return Future.succeededFuture(SendResult.delivered());
    if (config.bodyMode() == BodyMode.SINGLE && batch.size() > 1) return sendEachInOrder(batch);
    String idempotencyKey = config.bodyMode() == BodyMode.SINGLE ? batch.get(0).messageId() : null;
    return sendOnce(batch, idempotencyKey);
  }

  @Override
  public Limits limits() {
    return config.limits();
  }

  private Future<SendResult> sendOnce(List<Event> batch, String idempotencyKey) {
    BoundedBody excerpt = new BoundedBody(EXCERPT_LIMIT);
    return requests.request(context.webClient(), idempotencyKey)
        .as(BodyCodec.pipe(excerpt, true))
        .sendBuffer(requests.body(batch))
        .map(response -> classifier.classify(response.statusCode(), response.getHeader("Retry-After"), excerpt.text()))
        .otherwise(error -> classifier.failure(error, config.timeoutMs()));
  }

  /**
   * Single mode with a batch the framework did not cut to one event: one request per
   * event, in order, and one outcome per event. After a retryable failure the later events
   * are not sent (they would overtake the failed one) and are answered Retry as well.
   */
  private Future<SendResult> sendEachInOrder(List<Event> batch) {
    List<SendResult> outcomes = new ArrayList<>(batch.size());
    Future<Void> chain = Future.succeededFuture();
    for (Event event : batch) {
      chain = chain.compose(v -> {
        if (!outcomes.isEmpty() && outcomes.get(outcomes.size() - 1) instanceof SendResult.Retry held) {
          outcomes.add(new SendResult.Retry("not sent: an earlier event of the batch must be retried first",
              held.retryAfter(), 0));
          return Future.succeededFuture();
        }
        return sendOnce(List.of(event), event.messageId()).map(result -> {
          outcomes.add(result);
          return null;
        });
      });
    }
    return chain.map(v -> SendResult.partial(outcomes));
  }
}
