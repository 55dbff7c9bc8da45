package dev.herald.destination.amplitude;

import dev.herald.destination.amplitude.ResponseClassifier.Step;
import dev.herald.destination.api.BoundedBody;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Failures;
import dev.herald.destination.api.HttpEndpoint;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One configured {@code amplitude} destination. A batch is mapped ({@link SegmentMapper}) on a
 * worker thread straight into request bodies cut on the encoded size ({@link BatchEncoder}),
 * posted in order, and each answer classified ({@link ResponseClassifier}). Two answers lead to more requests within the same
 * send, as neither is a retry of something that failed: a 413 splits the request in half, and a
 * 400 or 429 that refuses a request because of some of its events (nothing of it was ingested)
 * sends the rest again at once. Everything else that failed is answered {@code Retry} and the
 * framework retries it later; throttled users are answered {@link SendResult#throttled} so the
 * framework holds only them back.
 */
public final class AmplitudeDestination implements Destination {

  /**
   * Amplitude's answers are small JSON objects (a 400 lists at most a few thousand indexes); a huge
   * error page from something in between is cut here.
   */
  private static final int RESPONSE_LIMIT = 256 * 1024;

  /** Resends of a refused request's remainder within one send; past it the framework retries. */
  static final int MAX_RESENDS = 3;

  private final DestinationContext context;
  private final AmplitudeConfig config;
  private final BatchEncoder batchEncoder;
  private final RequestEncoder encoder;
  private final ResponseClassifier classifier;

  AmplitudeDestination(DestinationContext context, AmplitudeConfig config) {
    this.context = context;
    this.config = config;
    this.batchEncoder = new BatchEncoder(config);
    this.encoder = batchEncoder.requestEncoder();
    this.classifier = new ResponseClassifier(HttpEndpoint.target(config.endpoint()), config.throttleHold());
  }

  @Override
  public Future<Void> start() {
    context.logger().info("amplitude destination '{}' sends to {}", context.destinationId(), config);
    return Future.succeededFuture();
  }

  @Override
  public Limits limits() {
    return config.limits();
  }

  /**
   * Maps and encodes the batch on a worker thread (mapping is the plugin's CPU cost and the
   * runner's event loop has the log to read meanwhile), then posts its requests in order.
   */
  @Override
  public Future<SendResult> send(List<Event> batch) {
    if (batch.isEmpty()) return Future.succeededFuture(SendResult.delivered());
    return context.vertx().executeBlocking(() -> batchEncoder.encode(batch), false).compose(prepared -> {
      Future<Void> chain = Future.succeededFuture();
      for (BatchEncoder.Request request : prepared.requests()) {
        chain = chain.compose(v -> post(request.units(), request.body(), 0));
      }
      return chain.map(v -> combine(batch.size(), prepared.units(), prepared.unsendable()));
    });
  }

  /**
   * Posts one request and whatever its answer calls for (halves, the rest), in order; {@code body}
   * is the request's body when it was written with the batch, null for a part built from its units.
   */
  private Future<Void> post(List<Unit> units, Buffer body, int resends) {
    return exchange(body != null ? body : encoder.body(units)).compose(answer -> {
      Step step = classifier.classify(answer, units, resends < MAX_RESENDS);
      Future<Void> chain = Future.succeededFuture();
      for (List<Unit> next : step.next()) {
        int count = step.resend() ? resends + 1 : resends;
        chain = chain.compose(v -> post(next, null, count));
      }
      return chain;
    });
  }

  /** One POST; never fails: no answer becomes an {@link AmplitudeAnswer#failed} answer. */
  private Future<AmplitudeAnswer> exchange(Buffer requestBody) {
    BoundedBody body = new BoundedBody(RESPONSE_LIMIT);
    return context.webClient().postAbs(config.url())
        .connectTimeout(config.timeoutMs())
        .idleTimeout(config.timeoutMs())
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
        .putHeader(HttpHeaders.ACCEPT.toString(), "application/json")
        .as(BodyCodec.pipe(body, true))
        .sendBuffer(requestBody)
        .map(response -> AmplitudeAnswer.parse(response.statusCode(), response.getHeader("Retry-After"),
            masked(body.text())))
        .otherwise(error -> AmplitudeAnswer.failed(Failures.describe(error, config.timeoutMs())));
  }

  /** The answer with the API key masked, should anything echo it: reasons and excerpts are shown. */
  private String masked(String text) {
    return text.replace(config.apiKey(), "******");
  }

  /**
   * One outcome per stored event from its Amplitude events': rejected if any was, else retried if
   * any must be (held only if every retry is a key throttle), else delivered.
   */
  private static SendResult combine(int size, List<Unit> units, SendResult[] unsendable) {
    SendResult[] outcomes = unsendable.clone();
    for (Unit unit : units) {
      outcomes[unit.owner] = worse(outcomes[unit.owner], unit.outcome);
    }
    List<SendResult> list = new ArrayList<>(size);
    boolean allDelivered = true;
    for (SendResult outcome : outcomes) {
      SendResult result = outcome == null ? SendResult.delivered() : outcome; // an alias skipped: nothing to send
      allDelivered &= result instanceof SendResult.Delivered;
      list.add(result);
    }
    return allDelivered ? SendResult.delivered() : SendResult.partial(list);
  }

  private static SendResult worse(SendResult a, SendResult b) {
    if (a == null) return b;
    if (b == null) return a;
    if (a instanceof SendResult.Rejected) return a;
    if (b instanceof SendResult.Rejected) return b;
    if (a instanceof SendResult.Retry ra && b instanceof SendResult.Retry rb) {
      if (ra.keyThrottled() != rb.keyThrottled()) return ra.keyThrottled() ? rb : ra; // a plain retry wins
      return longer(ra.retryAfter(), rb.retryAfter()) == ra.retryAfter() ? ra : rb;
    }
    return a instanceof SendResult.Retry ? a : b;
  }

  private static Duration longer(Duration a, Duration b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.compareTo(b) >= 0 ? a : b;
  }
}
