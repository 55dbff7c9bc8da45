package dev.herald.bench;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** One kind of request the load generator sends: its path, events per request and encoding. */
enum Scenario {
  BATCH("/v1/batch", 100, false),
  TRACK("/v1/track", 1, false),
  GZIP_BATCH("/v1/batch", 100, true);

  final String path;
  final int eventsPerRequest;
  final boolean gzip;

  Scenario(String path, int eventsPerRequest, boolean gzip) {
    this.path = path;
    this.eventsPerRequest = eventsPerRequest;
    this.gzip = gzip;
  }

  /** A fresh body whose events carry messageIds from {@code firstSequence} on (none repeats: Herald deduplicates). */
  Buffer body(long firstSequence) {
    Buffer json = eventsPerRequest == 1 ? BatchBodies.single(firstSequence)
        : BatchBodies.batch(firstSequence, eventsPerRequest);
    return gzip ? gzip(json) : json;
  }

  String describe() {
    return "POST " + path + (gzip ? " gzip" : "") + ", " + eventsPerRequest
        + (eventsPerRequest == 1 ? " event" : " events") + " per request";
  }

  private static Buffer gzip(Buffer json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() / 4);
    // The load generator shares the cores with the server: the fastest level keeps its cost low.
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      gz.write(json.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }
}
