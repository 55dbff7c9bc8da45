package dev.herald.destination.file;

import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * One configured {@code file} destination.
 *
 * <p>Herald calls {@link #send} on a Vert.x event loop, which must never block. File writes
 * and fsync do block, so every touch of the file goes through
 * {@code vertx.executeBlocking(…, true)}: it runs on a worker thread, and {@code ordered =
 * true} keeps the batches of this caller in order. The returned future completes only once
 * the bytes are on disk, so Herald advances its cursor only past events that are durable.
 *
 * <p>The plugin never retries on its own: a failed write answers {@link SendResult.Retry}
 * (a full disk may clear) and Herald decides when to try again.
 */
public final class FileDestination implements Destination {

  private final DestinationContext context;
  private final Vertx vertx;
  private final RotatingNdjsonFile file;

  FileDestination(DestinationContext context, FileSinkConfig config) {
    this.context = context;
    this.vertx = context.vertx();
    this.file = new RotatingNdjsonFile(config, context.logger());
  }

  /** Opens (or creates, with its parent directories) the file, so a bad path shows at start-up. */
  @Override
  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      file.open();
      context.logger().info("file destination '{}' writes to {}", context.destinationId(), file.path());
      return null;
    }, true);
  }

  @Override
  public Future<SendResult> send(List<Event> batch) {
    // Event.payloadBytes() is the stored JSON: hand it over as is, no parsing on the event loop.
    List<Buffer> payloads = batch.stream().map(Event::payloadBytes).toList();
    return vertx.<SendResult>executeBlocking(() -> {
      file.append(payloads);
      return SendResult.delivered();
    }, true).otherwise(error -> SendResult.retry("writing " + file.path() + " failed: " + error, null));
  }

  @Override
  public Future<Void> stop() {
    return vertx.executeBlocking(() -> {
      file.close();
      return null;
    }, true);
  }

  /** For tests: the file this destination writes. */
  RotatingNdjsonFile file() {
    return file;
  }
}
