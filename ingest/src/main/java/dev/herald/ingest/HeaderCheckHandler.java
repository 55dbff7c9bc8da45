package dev.herald.ingest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Runs before the body is read (hence a platform handler, which Vert.x Web orders ahead of
 * the body handler): refuses media types, charsets and encodings Herald cannot read, a wrong
 * HTTP Basic write key, a source whose rate-limit bucket is empty, and (on raw-topic routes) a
 * bad topic name or Idempotency-Key, all without buffering a byte of the body. On the beacon
 * route the key may instead come from the {@code writeKey} query parameter, since
 * {@code navigator.sendBeacon} cannot set headers. A key sent only in the body is checked once
 * the body is parsed.
 */
final class HeaderCheckHandler implements PlatformHandler {

  /** Routing-context key of the source id authenticated from the Authorization header. */
  static final String SOURCE_ID = "herald.ingest.sourceId";
  static final String NO_BASIC_KEY_FOR_RECORDS = "no write key: raw topics take the write key as the HTTP Basic user name";

  private final BodyDecoder decoder;
  private final IngestState state;
  private final boolean records;
  private final boolean keyInQuery;

  /**
   * @param records true on raw-topic routes
   * @param keyInQuery true on the beacon route, which also takes {@code ?writeKey=}
   * @param state the current sources (write keys, raw topics) and rate limits
   */
  HeaderCheckHandler(BodyDecoder decoder, IngestState state, boolean records, boolean keyInQuery) {
    this.decoder = decoder;
    this.state = state;
    this.records = records;
    this.keyInQuery = keyInQuery;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (records) {
      String topicProblem = RawRecords.topicProblem(ctx.pathParam("topic"));
      if (topicProblem != null) {
        throw new IngestException(ErrorCode.INVALID_TOPIC, topicProblem);
      }
      String keyProblem = RawRecords.idempotencyKeyProblem(ctx.request().getHeader("Idempotency-Key"));
      if (keyProblem != null) {
        throw new IngestException(ErrorCode.BAD_REQUEST, keyProblem);
      }
    }
    decoder.checkHeaders(ctx.request(), records);
    if (!records && BodyDecoder.isFormType(ctx.request())) {
      // Vert.x Web's BodyHandler would decode a form-labelled body as form fields, and fail on
      // gzip bytes or a '%' in a JSON string. Tracking routes read every body as JSON (the label
      // has been checked above), so the body handler is shown what Herald reads it as.
      ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String queryKey = keyInQuery && authorization == null ? ctx.request().getParam("writeKey") : null;
    if (authorization != null || queryKey != null) {
      SourceTable sources = state.sources();
      String sourceId = queryKey != null ? sources.authenticator().requireSource(queryKey)
          : sources.authenticator().requireSourceOfBasic(authorization);
      if (sourceId == null) {
        throw new IngestException(ErrorCode.INVALID_WRITE_KEY,
            "the Authorization header must be HTTP Basic with the write key as user name and an empty password");
      }
      if (records) {
        requireRawTopic(sources.get(sourceId), sourceId, ctx.pathParam("topic"));
      }
      state.rateLimiter().requireAvailable(sourceId);
      ctx.put(SOURCE_ID, sourceId);
    } else if (records) {
      throw new IngestException(ErrorCode.INVALID_WRITE_KEY, NO_BASIC_KEY_FOR_RECORDS);
    }
    ctx.next();
  }

  private static void requireRawTopic(SourceOptions source, String sourceId, String topic) {
    if (source == null || !source.allowsRawTopic(topic)) {
      throw new IngestException(ErrorCode.TOPIC_NOT_ALLOWED, "source '" + sourceId + "' may not post to topic '"
          + topic + "': list it in the source's rawTopics");
    }
  }
}
