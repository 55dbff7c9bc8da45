package dev.herald.ingest;

import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Event;
import dev.herald.ingest.EventNormalizer.Accepted;
import dev.herald.ingest.EventNormalizer.Outcome;
import dev.herald.ingest.EventNormalizer.Rejected;
import dev.herald.ingest.EventNormalizer.RequestScope;
import dev.herald.ingest.IngestResponses.EventError;
import dev.herald.ingest.PayloadParser.Batch;
import dev.herald.ingest.PayloadParser.BatchItem;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request flow of the tracking API: {@link HeaderCheckHandler} before the body is read, then
 * decode, parse, authenticate by body key if needed, normalize, one append for the whole
 * request, and the answer only once that append is durable.
 */
final class IngestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final EventLog log;
  private final int maxEventBytes;
  private final int maxRequestBytes;
  private final WriteKeyAuthenticator authenticator;
  private final BodyDecoder decoder;
  private final HeaderCheckHandler headerCheck;
  private final PayloadParser parser;
  private final EventNormalizer normalizer;

  IngestHandler(Vertx vertx, IngestOptions options, EventLog log) {
    this.vertx = vertx;
    this.log = log;
    this.maxEventBytes = options.maxEventBytes();
    this.maxRequestBytes = options.maxRequestBytes();
    this.authenticator = new WriteKeyAuthenticator(options.sources());
    this.decoder = new BodyDecoder(options.maxRequestBytes());
    this.headerCheck = new HeaderCheckHandler(decoder, authenticator);
    this.parser = new PayloadParser(options.maxBatchEvents());
    this.normalizer = new EventNormalizer(options.maxEventBytes());
  }

  /** The check of media type, encoding and Basic key that runs before the body is read. */
  HeaderCheckHandler headerCheck() {
    return headerCheck;
  }

  /** {@code /v1/track} and its siblings: one event whose type the route sets. */
  void single(RoutingContext ctx, String type) {
    byte[] body = decoder.decode(ctx.request(), ctx.body().buffer());
    if (body.length > maxEventBytes) {
      throw new IngestException(ErrorCode.EVENT_TOO_LARGE, "the event is " + body.length
          + " bytes, over maxEventBytes (" + maxEventBytes + " bytes)");
    }
    JsonObject event = parser.parseObject(body);
    String sourceId = authenticate(ctx, event.getValue("writeKey"));
    Outcome outcome = normalizer.normalize(event, body.length, type,
        RequestScope.of(sourceId, Instant.now(), null));
    if (outcome instanceof Rejected rejected) {
      IngestResponses.error(ctx.response(), rejected.code(), rejected.message());
      return;
    }
    Accepted accepted = (Accepted) outcome;
    append(ctx, List.of(accepted.event()), new JsonArray().add(accepted.payload()), List.of());
  }

  /** {@code /v1/batch} and {@code /v1/import}: many events, each accepted or rejected alone. */
  void batch(RoutingContext ctx) {
    byte[] body = decoder.decode(ctx.request(), ctx.body().buffer());
    Batch batch = parser.parseBatch(body);
    String sourceId = authenticate(ctx, batch.envelope().getValue("writeKey"));
    List<BatchItem> items = batch.items();
    if (items.isEmpty()) {
      throw new IngestException(ErrorCode.INVALID_BATCH, "the batch is empty: \"batch\" holds no events");
    }
    RequestScope scope = RequestScope.of(sourceId, Instant.now(), batch.envelope());
    List<Event> events = new ArrayList<>(items.size());
    JsonArray payloads = new JsonArray(new ArrayList<>(items.size()));
    List<EventError> errors = new ArrayList<>(0);
    for (int i = 0; i < items.size(); i++) {
      BatchItem item = items.get(i);
      Outcome outcome = normalizer.normalize(item.value(), item.sizeBytes(), null, scope);
      if (outcome instanceof Accepted accepted) {
        events.add(accepted.event());
        payloads.add(accepted.payload());
      } else {
        Rejected rejected = (Rejected) outcome;
        errors.add(new EventError(i, rejected.messageId(), rejected.code(), rejected.message()));
      }
    }
    if (events.isEmpty()) {
      IngestResponses.noneAccepted(ctx.response(), errors);
      return;
    }
    append(ctx, events, payloads, errors);
  }

  /** Maps every failure of an ingest route to a JSON error; nothing ends as HTML or a reset. */
  void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof IngestException e) {
      IngestResponses.error(ctx.response(), e.code(), e.getMessage());
    } else if (ctx.statusCode() == 413) {
      IngestResponses.error(ctx.response(), ErrorCode.PAYLOAD_TOO_LARGE,
          "the request body exceeds maxRequestBytes (" + maxRequestBytes + " bytes)");
    } else if (failure instanceof DecoderException || failure instanceof HttpClosedException) {
      // A client's broken framing or a client that went away: its problem, not a server error.
      LOG.debug("Request stream failed on {} {}: {}", ctx.request().method(), ctx.request().path(), failure.toString());
      IngestResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "the HTTP request is malformed or was cut off");
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      IngestResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          "the request could not be read (HTTP " + ctx.statusCode() + ")");
    } else {
      LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      IngestResponses.error(ctx.response(), ErrorCode.INTERNAL_ERROR,
          "internal error: the request's events were not accepted; retry later");
    }
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
    return authenticator.requireSource(key);
  }

  private void append(RoutingContext ctx, List<Event> events, JsonArray payloads, List<EventError> errors) {
    Future<Void> appended;
    try {
      appended = log.append(events);
    } catch (RuntimeException e) {
      appended = Future.failedFuture(e);
    }
    appended.onComplete(result -> {
      if (result.failed()) {
        LOG.warn("Append of {} events failed; answering 503: {}", events.size(), result.cause().toString());
        IngestResponses.error(ctx.response(), ErrorCode.LOG_UNAVAILABLE,
            "the event log cannot take events now; nothing was accepted, retry after "
                + IngestResponses.RETRY_AFTER_SECONDS + " s");
        return;
      }
      try {
        IngestResponses.accepted(ctx.response(), events.size(), errors);
        vertx.eventBus().publish(IngestVerticle.ACCEPTED_ADDRESS, payloads, LOCAL);
      } catch (RuntimeException e) {
        LOG.error("Failed to answer after a durable append of {} events", events.size(), e);
        if (!ctx.response().ended()) {
          ctx.fail(e);
        }
      }
    });
  }
}
