package dev.herald.destination.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;

/**
 * A response-body sink that keeps the first {@code limit} bytes and drops the rest, so a huge
 * error page costs a plugin neither memory nor dead-letter space. Use it with
 * {@code BodyCodec.pipe(body, true)}; {@link #text()} then gives the excerpt for a
 * {@link SendResult.Rejected} or a log line.
 */
public final class BoundedBody implements WriteStream<Buffer> {

  private final int limit;
  private final Buffer kept;

  /** Keeps at most {@code limit} bytes. */
  public BoundedBody(int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit must be >= 0");
    this.limit = limit;
    this.kept = Buffer.buffer(Math.min(limit, 4096));
  }

  /** The kept bytes as text (a character cut at the limit shows as U+FFFD). */
  public String text() {
    return new String(kept.getBytes(), StandardCharsets.UTF_8);
  }

  @Override
  public Future<Void> write(Buffer data) {
    int room = limit - kept.length();
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
