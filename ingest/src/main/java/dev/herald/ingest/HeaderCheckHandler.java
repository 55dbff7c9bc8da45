package dev.herald.ingest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Runs before the body is read (hence a platform handler, which Vert.x Web orders ahead of
 * the body handler): refuses media types and encodings Herald cannot read and a wrong HTTP
 * Basic write key without buffering a byte of the body. A key sent only in the body is
 * checked once the body is parsed.
 */
final class HeaderCheckHandler implements PlatformHandler {

  /** Routing-context key of the source id authenticated from the Authorization header. */
  static final String SOURCE_ID = "herald.ingest.sourceId";

  private final BodyDecoder decoder;
  private final WriteKeyAuthenticator authenticator;

  HeaderCheckHandler(BodyDecoder decoder, WriteKeyAuthenticator authenticator) {
    this.decoder = decoder;
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext ctx) {
    decoder.checkHeaders(ctx.request());
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      String key = WriteKeyAuthenticator.basicUser(authorization);
      if (key == null) {
        throw new IngestException(ErrorCode.INVALID_WRITE_KEY,
            "the Authorization header must be HTTP Basic with the write key as user name and an empty password");
      }
      ctx.put(SOURCE_ID, authenticator.requireSource(key));
    }
    ctx.next();
  }
}
