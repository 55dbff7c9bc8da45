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
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One configured {@code amplitude} destination. A batch is mapped ({@link SegmentMapper}) on a
 * worker thread, cut into requests on the encoded size ({@link RequestEncoder}), posted in order, and each answer
 * classified ({@link ResponseClassifier}). Two answers lead to more requests within the same
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
  private final SegmentMapper mapper;
  private final RequestEncoder encoder;
  private final ResponseClassifier classifier;

  AmplitudeDestination(DestinationContext context, AmplitudeConfig config) {
    this.context = context;
    this.config = config;
    this.mapper = new SegmentMapper(config);
    this.encoder = new RequestEncoder(config);
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
    return context.vertx().executeBlocking(() -> prepare(batch), false).compose(prepared -> {
      Future<Void> chain = Future.succeededFuture();
      for (List<Unit> request : prepared.requests()) {
        chain = chain.compose(v -> post(request, 0));
      }
      return chain.map(v -> combine(batch.size(), prepared.units(), prepared.unsendable()));
    });
  }

  /** A batch mapped and cut into requests; {@code unsendable} holds the outcome of events that cannot be sent. */
  private record Prepared(List<Unit> units, SendResult[] unsendable, List<List<Unit>> requests) {}

  private Prepared prepare(List<Event> batch) {
    SendResult[] unsendable = new SendResult[batch.size()];
    List<Unit> units = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Event event = batch.get(i);
      SegmentMapper.Mapping mapping = mapper.map(event);
      if (mapping.rejection() != null) {
        unsendable[i] = SendResult.rejected(mapping.rejection(), 0, null);
        continue;
      }
      for (SegmentMapper.Mapped mapped : mapping.events()) {
        Unit unit = new Unit(i, mapped.json(), mapped.userId(), mapped.deviceId(), event.partitionKey());
        if (encoder.tooLarge(unit)) {
          unit.outcome = SendResult.rejected("the event is " + unit.json.length() + " bytes encoded, too large for one "
              + config.api().configName() + " request", 0, null);
        }
        units.add(unit);
      }
    }
    List<Unit> sendable = units.stream().filter(u -> u.outcome == null).toList();
    return new Prepared(units, unsendable, encoder.requests(sendable));
  }

  /** Posts one request and whatever its answer calls for (halves, the rest), in order. */
  private Future<Void> post(List<Unit> units, int resends) {
    return exchange(units).compose(answer -> {
      Step step = classifier.classify(answer, units, resends < MAX_RESENDS);
      Future<Void> chain = Future.succeededFuture();
      for (List<Unit> next : step.next()) {
        int count = step.resend() ? resends + 1 : resends;
        chain = chain.compose(v -> post(next, count));
      }
      return chain;
    });
  }

  /** One POST; never fails: no answer becomes an {@link AmplitudeAnswer#failed} answer. */
  private Future<AmplitudeAnswer> exchange(List<Unit> units) {
    BoundedBody body = new BoundedBody(RESPONSE_LIMIT);
    return context.webClient().postAbs(config.url())
        .connectTimeout(config.timeoutMs())
        .idleTimeout(config.timeoutMs())
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
        .putHeader(HttpHeaders.ACCEPT.toString(), "application/json")
        .as(BodyCodec.pipe(body, true))
        .sendBuffer(encoder.body(units))
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
