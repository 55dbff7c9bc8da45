package dev.herald.ingest;

import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Event;
import dev.herald.ingest.Deduplicator.Admission;
import dev.herald.ingest.IngestResponses.EventError;
import dev.herald.ingest.ItemOutcome.Accepted;
import dev.herald.ingest.ItemOutcome.Rejected;
import dev.herald.ingest.RequestReader.Batch;
import dev.herald.ingest.RequestReader.Item;
import dev.herald.ingest.RateLimiter.RateLimitedException;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request flow of the tracking API: {@link HeaderCheckHandler} before the body is read, then
 * decode, parse, authenticate by body key if needed, rate-limit, normalize, deduplicate, one
 * append for the whole request, and the answer only once that append is durable.
 */
final class IngestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final EventLog log;
  private final IngestState state;
  private final int maxEventBytes;
  private final int maxRequestBytes;
  private final long maxStoredRequestBytes;
  private final ClientAddress.Recent clientAddresses;
  private final BodyDecoder decoder;
  private final HeaderCheckHandler eventHeaderCheck;
  private final HeaderCheckHandler recordHeaderCheck;
  private final HeaderCheckHandler beaconHeaderCheck;
  private final RequestReader reader;
  /** The stored-record writer every request of this handler's event loop uses in turn (its buffers and name cache kept). */
  private final RecordBytes records;
  private final EventScope.ReceivedTimes receivedTimes = new EventScope.ReceivedTimes();
  private final SegmentEvents normalizer;
  private final RawRecords recordNormalizer;
  private final IngestListener listener;

  IngestHandler(Vertx vertx, IngestOptions options, EventLog log, IngestState state) {
    this(vertx, options, log, state, IngestListener.NONE);
  }

  IngestHandler(Vertx vertx, IngestOptions options, EventLog log, IngestState state, IngestListener listener) {
    this.vertx = vertx;
    this.listener = listener;
    this.log = log;
    this.state = state;
    this.maxEventBytes = options.maxEventBytes();
    this.maxRequestBytes = options.maxRequestBytes();
    this.maxStoredRequestBytes = options.maxStoredRequestBytes();
    this.clientAddresses = new ClientAddress.Recent(options.trustProxy());
    this.decoder = new BodyDecoder(options.maxRequestBytes());
    this.eventHeaderCheck = new HeaderCheckHandler(decoder, state, false, false);
    this.recordHeaderCheck = new HeaderCheckHandler(decoder, state, true, false);
    this.beaconHeaderCheck = new HeaderCheckHandler(decoder, state, false, true);
    this.reader = new RequestReader(options.maxBatchEvents(), options.json(), options.maxEventBytes());
    this.records = new RecordBytes(reader.json(), options.maxEventBytes());
    this.normalizer = new SegmentEvents(options.maxEventBytes());
    this.recordNormalizer = new RawRecords(options.maxEventBytes());
  }

  /** The checks that run before the body is read, for Segment-spec routes or raw-topic routes. */
  HeaderCheckHandler headerCheck(boolean records) {
    return records ? recordHeaderCheck : eventHeaderCheck;
  }

  /** The checks of the beacon route, which also takes the write key from {@code ?writeKey=}. */
  HeaderCheckHandler beaconHeaderCheck() {
    return beaconHeaderCheck;
  }

  private RecordBytes records(byte[] body) {
    records.startRequest(body);
    return records;
  }

  /** {@code /v1/track} and its siblings: one event whose type the route sets. */
  void single(RoutingContext ctx, String type) {
    byte[] body = decoder.decode(ctx.request(), ctx.body().buffer());
    if (body.length > maxEventBytes) {
      throw new IngestException(ErrorCode.EVENT_TOO_LARGE, "the event is " + body.length
          + " bytes, over maxEventBytes (" + maxEventBytes + " bytes)");
    }
    ScannedObject event = reader.readObject(body);
    String sourceId = authenticate(ctx, event.value("writeKey"));
    state.rateLimiter().acquire(sourceId, 1);
    ItemOutcome outcome = normalizer.normalize(new Item(event, body.length), type, scope(ctx, sourceId, null, null),
        records(body));
    if (outcome instanceof Rejected rejected) {
      listener.events(sourceId, IngestListener.REJECTED, rejected.code().wireName(), 1);
      state.counts().rejected(sourceId, 1);
      IngestResponses.error(ctx.response(), rejected.code(), rejected.message());
      return;
    }
    store(ctx, List.of((Accepted) outcome), List.of());
  }

  /** {@code /v1/batch}, {@code /v1/import} and {@code /v1/b}: many events, each accepted or rejected alone. */
  void batch(RoutingContext ctx) {
    byte[] body = decoder.decode(ctx.request(), ctx.body().buffer());
    Batch batch = reader.readBatch(body);
    String sourceId = authenticate(ctx, batch.envelope().getValue("writeKey"));
    List<Item> items = batch.items();
    if (items.isEmpty()) {
      throw new IngestException(ErrorCode.INVALID_BATCH, "the batch is empty: \"batch\" holds no events");
    }
    Object sentAtValue = batch.envelope().getValue("sentAt");
    Instant sentAt = null;
    if (sentAtValue != null) {
      sentAt = sentAtValue instanceof String text ? Timestamps.parse(text) : null;
      if (sentAt == null) {
        throw new IngestException(ErrorCode.INVALID_BATCH, "the batch's \"sentAt\" must be an ISO-8601 date-time "
            + "with a time zone, such as 2026-11-23T10:00:00.000Z; got " + EventValidator.quoted(sentAtValue));
      }
    }
    state.rateLimiter().acquire(sourceId, items.size());
    EventScope scope = scope(ctx, sourceId, new Envelope(batch.envelope()), sentAt);
    List<Accepted> accepted = new ArrayList<>(items.size());
    List<EventError> errors = new ArrayList<>(0);
    StoredBound bound = new StoredBound(maxStoredRequestBytes, maxEventBytes);
    RecordBytes out = records(body);
    for (int i = 0; i < items.size(); i++) {
      ItemOutcome outcome = normalizer.normalize(items.get(i), null, scope, out);
      bound.charge(outcome);
      collect(outcome, i, accepted, errors);
    }
    countRejected(sourceId, errors);
    state.counts().rejected(sourceId, errors.size());
    if (accepted.isEmpty()) {
      IngestResponses.noneAccepted(ctx.response(), errors);
      return;
    }
    store(ctx, accepted, errors);
  }

  /** {@code /v1/topics/{topic}}: raw records, stored as sent. */
  void records(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    byte[] body = decoder.decode(ctx.request(), ctx.body().buffer());
    String sourceId = ctx.get(HeaderCheckHandler.SOURCE_ID);
    if (sourceId == null) {
      throw new IngestException(ErrorCode.INVALID_WRITE_KEY, HeaderCheckHandler.NO_BASIC_KEY_FOR_RECORDS);
    }
    List<Item> items = reader.readRecords(body);
    state.rateLimiter().acquire(sourceId, items.size());
    String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
    Instant receivedAt = Instant.now(state.clock()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    List<Accepted> accepted = new ArrayList<>(items.size());
    List<EventError> errors = new ArrayList<>(0);
    StoredBound bound = new StoredBound(maxStoredRequestBytes, maxEventBytes);
    RecordBytes out = records(body);
    for (int i = 0; i < items.size(); i++) {
      ItemOutcome outcome = recordNormalizer.normalize(items.get(i), i, items.size(), idempotencyKey, topic, sourceId,
          receivedAt, out);
      bound.charge(outcome);
      collect(outcome, i, accepted, errors);
    }
    countRejected(sourceId, errors);
    state.counts().rejected(sourceId, errors.size());
    if (accepted.isEmpty()) {
      IngestResponses.noneAccepted(ctx.response(), errors);
      return;
    }
    store(ctx, accepted, errors);
  }

  /** Maps every failure of an ingest route to a JSON error; nothing ends as HTML or a reset. */
  void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof RateLimitedException e) {
      IngestResponses.rateLimited(ctx.response(), e.retryAfterSeconds, e.getMessage());
    } else if (failure instanceof IngestException e) {
      IngestResponses.error(ctx.response(), e.code(), e.getMessage());
    } else if (ctx.statusCode() == 413) {
      String declared = ctx.request().getHeader(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH);
      String size = declared != null && declared.matches("\\d{1,18}") ? declared + " bytes declared" : "streamed";
      IngestResponses.error(ctx.response(), ErrorCode.PAYLOAD_TOO_LARGE,
          "the request body (" + size + ") exceeds maxRequestBytes (" + maxRequestBytes + " bytes)");
    } else if (failure instanceof DecoderException || failure instanceof HttpClosedException
        || (!ctx.request().isEnded() && fromHttpDecoder(failure))) {
      // A client's broken framing (Netty reports a bad chunk size as a bare NumberFormatException)
      // or a client that went away, before the body was complete: its problem, not a server error.
      LOG.debug("Request stream failed on {} {}: {}", ctx.request().method(), LogSafe.escape(ctx.request().path()),
          LogSafe.escape(failure));
      // The framing is broken: what follows on the connection cannot be trusted as a next request.
      boolean http1 = ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2;
      if (http1 && !ctx.response().headWritten()) {
        ctx.response().putHeader(io.vertx.core.http.HttpHeaders.CONNECTION, "close");
      }
      IngestResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "the HTTP request is malformed or was cut off");
      if (http1) {
        ctx.request().connection().close();
      }
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      IngestResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          "the request could not be read (HTTP " + ctx.statusCode() + ")");
    } else {
      LOG.error("Unexpected failure on {} {}", ctx.request().method(), LogSafe.escape(ctx.request().path()), failure);
      IngestResponses.error(ctx.response(), ErrorCode.INTERNAL_ERROR,
          "internal error: the request's events were not accepted; retry later");
    }
  }

  /** Whether the failure was raised by Netty's HTTP decoder reading the client's bytes. */
  private static boolean fromHttpDecoder(Throwable failure) {
    if (failure == null) {
      return false;
    }
    StackTraceElement[] frames = failure.getStackTrace();
    for (int i = 0; i < Math.min(3, frames.length); i++) {
      if (frames[i].getClassName().startsWith("io.netty.handler.codec.http.")) {
        return true;
      }
    }
    return false;
  }

  private static void collect(ItemOutcome outcome, int index, List<Accepted> accepted, List<EventError> errors) {
    if (outcome instanceof Accepted ok) {
      accepted.add(ok);
    } else {
      Rejected rejected = (Rejected) outcome;
      errors.add(new EventError(index, rejected.messageId(), rejected.code(), rejected.message()));
    }
  }

  private void countRejected(String sourceId, List<EventError> errors) {
    if (errors.isEmpty()) return;
    Map<ErrorCode, Integer> byCode = new java.util.EnumMap<>(ErrorCode.class);
    for (EventError e : errors) byCode.merge(e.code(), 1, Integer::sum);
    byCode.forEach((code, n) -> listener.events(sourceId, IngestListener.REJECTED, code.wireName(), n));
  }

  private EventScope scope(RoutingContext ctx, String sourceId, Envelope envelope, Instant sentAt) {
    IpPolicy policy = state.sources().ipPolicy(sourceId);
    String address = policy == IpPolicy.DROP ? null : clientAddresses.of(ctx.request());
    return EventScope.of(sourceId, policy, address, Instant.now(state.clock()), envelope, sentAt, receivedTimes);
  }

  private String authenticate(RoutingContext ctx, Object bodyKey) {
    String fromHeader = ctx.get(HeaderCheckHandler.SOURCE_ID);
    if (fromHeader != null) {
      return fromHeader;
    }
    if (bodyKey == null) {
      throw new IngestException(ErrorCode.INVALID_WRITE_KEY,
          "no write key: send it as the HTTP Basic user name or as \"writeKey\" in the body");
    }
    if (!(bodyKey instanceof String key)) {
      throw new IngestException(ErrorCode.INVALID_WRITE_KEY, "\"writeKey\" must be a string");
    }
    return state.sources().authenticator().requireSource(key);
  }

  /** Deduplicates, appends what is new, and answers once that is durable. */
  private void store(RoutingContext ctx, List<Accepted> accepted, List<EventError> errors) {
    Deduplicator deduplicator = state.deduplicator();
    String sourceId = accepted.get(0).event().sourceId();
    if (deduplicator == null) {
      append(ctx, new Admission(accepted, 0, null), errors, sourceId);
      return;
    }
    deduplicator.admit(accepted, vertx.getOrCreateContext()).onComplete(admitted -> {
      if (admitted.failed()) {
        ctx.fail(admitted.cause());
      } else {
        append(ctx, admitted.result(), errors, sourceId);
      }
    });
  }

  private void append(RoutingContext ctx, Admission admission, List<EventError> errors, String sourceId) {
    List<Accepted> fresh = admission.fresh();
    List<Event> events = new ArrayList<>(fresh.size());
    for (Accepted accepted : fresh) {
      events.add(accepted.event());
    }
    long appendStart = System.nanoTime();
    Future<Void> appended;
    try {
      appended = events.isEmpty() ? Future.succeededFuture() : log.append(events);
    } catch (RuntimeException e) {
      appended = Future.failedFuture(e);
    }
    if (appended == null) {
      appended = Future.failedFuture(new IllegalStateException("the log returned no future"));
      settle(admission, false);
      ctx.fail(appended.cause());
      return;
    }
    appended.onComplete(result -> {
      settle(admission, result.succeeded());
      count(sourceId, events.size(), admission.duplicates(), result.succeeded(), System.nanoTime() - appendStart);
      if (result.failed() && result.cause() instanceof IllegalArgumentException tooLarge) {
        // The log can never take this append (its size): retrying would not help.
        IngestResponses.error(ctx.response(), ErrorCode.PAYLOAD_TOO_LARGE,
            "the request's events are too large for the event log: " + tooLarge.getMessage());
        return;
      }
      if (result.failed()) {
        LOG.warn("Append of {} events failed; answering 503: {}", events.size(), result.cause().toString());
        IngestResponses.error(ctx.response(), ErrorCode.LOG_UNAVAILABLE,
            "the event log cannot take events now; nothing was accepted, retry after "
                + IngestResponses.RETRY_AFTER_SECONDS + " s");
        return;
      }
      try {
        // Counted and tapped before the answer: a client that saw 200 finds its events in both.
        if (!events.isEmpty()) {
          state.counts().accepted(events.get(0).sourceId(), events.size());
          if (state.tap().wanted()) vertx.eventBus().publish(IngestVerticle.ACCEPTED_ADDRESS, tapped(fresh), LOCAL);
        }
        IngestResponses.accepted(ctx.response(), events.size(), admission.duplicates(), errors);
      } catch (RuntimeException e) {
        LOG.error("Failed to answer after a durable append of {} events", events.size(), e);
        if (!ctx.response().ended()) {
          ctx.fail(e);
        }
      }
    });
  }

  private void count(String sourceId, int fresh, int duplicates, boolean durable, long appendNanos) {
    if (fresh > 0) listener.appended(fresh, appendNanos, durable);
    if (!durable) {
      listener.events(sourceId, IngestListener.REJECTED, ErrorCode.LOG_UNAVAILABLE.wireName(), fresh + duplicates);
      return;
    }
    if (fresh > 0) listener.events(sourceId, IngestListener.ACCEPTED, null, fresh);
    if (duplicates > 0) listener.events(sourceId, IngestListener.DUPLICATE, null, duplicates);
  }

  /**
   * What a live tap sees of each accepted event: where it came from, and the event as stored
   * (read back from the stored bytes only here, while a tap listens).
   */
  private static JsonArray tapped(List<Accepted> fresh) {
    JsonArray out = new JsonArray(new ArrayList<>(fresh.size()));
    for (Accepted accepted : fresh) {
      Event e = accepted.event();
      out.add(new JsonObject().put("messageId", e.messageId()).put("type", e.type()).put("topic", e.topic())
          .put("source", e.sourceId()).put("partitionKey", e.partitionKey()).put("receivedAt", e.receivedAt().toString())
          .put("payload", e.payload()));
    }
    return out;
  }

  private void settle(Admission admission, boolean durable) {
    if (admission.ticket() == null) {
      return;
    }
    if (durable) {
      state.deduplicator().confirm(admission.ticket());
    } else {
      state.deduplicator().release(admission.ticket());
    }
  }
}
