package dev.herald.destination.segment;

import dev.herald.destination.api.BoundedBody;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Failures;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.codec.BodyCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One configured {@code segment} destination. A batch is checked and encoded on a worker thread
 * ({@link SegmentMessages}), cut into {@code /v1/batch} requests within Segment's bounds
 * ({@link BatchBody}), and the requests are posted in order, each answer read by {@link Answer}.
 * A 413 splits its request in half and sends both, as that is no retry of a failure; after a
 * request that must be retried the later ones are not sent (they would overtake its events) and
 * are answered {@code Retry} too. Sends once and never retries by itself.
 */
public final class SegmentDestination implements Destination {

  /** A Herald receiver lists refused items in its 200; a list of 2,500 fits with room. */
  private static final int RESPONSE_LIMIT = 1024 * 1024;

  private final DestinationContext context;
  private final SegmentConfig config;
  private final String authorization;
  private final Answer answers;
  private final Clock clock = Clock.systemUTC();

  SegmentDestination(DestinationContext context, SegmentConfig config) {
    this.context = context;
    this.config = config;
    String pair = config.writeKey() + ":";
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    this.answers = new Answer(config.target(), clock);
  }

  @Override
  public Future<Void> start() {
    context.logger().info("segment destination '{}' sends to {}", context.destinationId(), config);
    return Future.succeededFuture();
  }

  @Override
  public Limits limits() {
    return config.limits();
  }

  @Override
  public Future<SendResult> send(List<Event> batch) {
    if (batch.isEmpty()) return Future.succeededFuture(SendResult.delivered());
    return context.vertx().executeBlocking(() -> prepare(batch), false).compose(messages -> {
      List<Message> sendable = messages.stream().filter(m -> m.outcome == null).toList();
      Future<Void> chain = Future.succeededFuture();
      for (List<Message> request : BatchBody.requests(sendable, SegmentConfig.MAX_EVENTS, SegmentConfig.MAX_REQUEST_BYTES)) {
        chain = chain.compose(v -> post(request, sendable));
      }
      return chain.map(v -> outcome(messages));
    });
  }

  private static List<Message> prepare(List<Event> batch) {
    List<Message> messages = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      SegmentMessages.Prepared prepared = SegmentMessages.prepare(batch.get(i));
      Message m = new Message(i, prepared.json());
      if (prepared.problem() != null) m.outcome = SendResult.rejected(prepared.problem(), 0, null);
      messages.add(m);
    }
    return messages;
  }

  /**
   * Posts one request, or answers it Retry unsent when an earlier request of the send must be
   * retried (its events must not be overtaken) or was refused as a setup error (this one would
   * be too: it waits for the fix instead).
   */
  private Future<Void> post(List<Message> request, List<Message> sendable) {
    SendResult.Retry notSent = notSent(sendable);
    if (notSent != null) {
      for (Message m : request) m.outcome = notSent;
      return Future.succeededFuture();
    }
    return exchange(request).compose(tooLarge -> {
      if (!tooLarge) return Future.succeededFuture();
      List<Message> first = request.subList(0, request.size() / 2);
      List<Message> second = request.subList(request.size() / 2, request.size());
      return post(first, sendable).compose(v -> post(second, sendable));
    });
  }

  /** One POST; sets its messages' outcomes, or answers true when the receiver wants the request split. */
  private Future<Boolean> exchange(List<Message> request) {
    BoundedBody body = new BoundedBody(RESPONSE_LIMIT);
    return context.vertx().executeBlocking(() -> BatchBody.encode(request, clock.instant(), config.gzip()), false)
        .compose(encoded -> request(body).sendBuffer(encoded))
        .map(response -> {
          if (Answer.tooLarge(response.statusCode(), request)) return true;
          answers.classify(response.statusCode(), response.getHeader("Retry-After"), masked(body.text()), request);
          return false;
        })
        .otherwise(error -> {
          SendResult retry = new SendResult.Retry(Failures.describe(error, config.timeoutMs())
              + " (" + config.target() + ")", null, 0);
          for (Message m : request) m.outcome = retry;
          return false;
        });
  }

  private HttpRequest<Void> request(BoundedBody body) {
    HttpRequest<Buffer> request = context.webClient().postAbs(config.url())
        .connectTimeout(config.timeoutMs())
        .idleTimeout(config.timeoutMs())
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
        .putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization);
    if (config.gzip()) request.putHeader(HttpHeaders.CONTENT_ENCODING.toString(), "gzip");
    return request.as(BodyCodec.pipe(body, true));
  }

  private static SendResult.Retry notSent(List<Message> sendable) {
    for (Message m : sendable) {
      if (m.outcome instanceof SendResult.Retry retry) {
        return new SendResult.Retry("not sent: an earlier request of the batch must be retried first ("
            + retry.reason() + ")", retry.retryAfter(), 0);
      }
      if (m.outcome instanceof SendResult.Rejected rejected && rejected.setupError()) {
        return new SendResult.Retry("not sent: " + rejected.reason(), null, 0);
      }
    }
    return null;
  }

  /** The answer with the write key masked, should anything echo it: reasons and excerpts are shown. */
  private String masked(String text) {
    return text.replace(config.writeKey(), "******");
  }

  private static SendResult outcome(List<Message> messages) {
    if (messages.stream().allMatch(m -> m.outcome instanceof SendResult.Delivered)) return SendResult.delivered();
    return SendResult.partial(messages.stream().map(m -> m.outcome).toList());
  }
}
