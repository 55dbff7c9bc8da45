package dev.herald.destination.amplitude;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@link #LIMIT} bytes of a response body and drops the rest: Amplitude's answers
 * are small JSON objects (a 400 lists at most a few thousand indexes), and a huge error page from
 * something in between must cost neither memory nor dead-letter space.
 */
final class BoundedBody implements WriteStream<Buffer> {

  static final int LIMIT = 256 * 1024;

  private final Buffer kept = Buffer.buffer(256);

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
