package dev.herald.destination.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@link #LIMIT} bytes of a response body and drops the rest, so a huge
 * error page costs neither memory nor dead-letter space.
 */
final class ResponseExcerpt implements WriteStream<Buffer> {

  static final int LIMIT = 1024;

  private final Buffer kept = Buffer.buffer(LIMIT);

  /** The kept bytes as text (a character cut at the limit shows as U+FFFD). */
  String text() {
    return new String(kept.getBytes(), StandardCharsets.UTF_8);
  }

  @Override
  public Future<Void> write(Buffer data) {
    int room = LIMIT - kept.length();
    if (room > 0) kept.appendBuffer(data, 0, Math.min(room, data.length()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
