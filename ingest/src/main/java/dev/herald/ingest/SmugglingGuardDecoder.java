package dev.herald.ingest;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Vert.x's HTTP/1.x request decoder, except that a request carrying both {@code Content-Length}
 * and {@code Transfer-Encoding} is a decoding failure instead of being read by its chunked
 * framing with the length dropped. Behind a proxy that frames by the length, the bytes after
 * the chunked body would be read here as a second request (request smuggling); as a failure
 * it reaches the invalid-request handler, which answers 400 and closes the connection.
 *
 * <p>Netty removes the {@code Content-Length} before Vert.x sees the request, so the check has
 * to sit in the decoder; it replaces Vert.x's own in each new connection's pipeline.
 */
final class SmugglingGuardDecoder extends VertxHttpRequestDecoder {

  static final String MESSAGE = "Content-Length together with Transfer-Encoding is refused (RFC 9112, section 6.3)";
  private static final String DECODER = "httpDecoder";

  private SmugglingGuardDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * Puts the guard in place of the connection's HTTP/1.x decoder.
   *
   * @return whether the connection is HTTP/1.x (HTTP/2 has no such decoder)
   */
  static boolean install(HttpConnection connection, HttpServerOptions options) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder decoder) {
        if (!(decoder instanceof SmugglingGuardDecoder)) {
          pipeline.replace(DECODER, DECODER, new SmugglingGuardDecoder(options));
        }
        return true;
      }
    }
    return false;
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new Refused();
  }

  /** The decoding failure the invalid-request handler recognises. */
  static final class Refused extends IllegalArgumentException {
    Refused() {
      super(MESSAGE, null);
    }
  }
}
