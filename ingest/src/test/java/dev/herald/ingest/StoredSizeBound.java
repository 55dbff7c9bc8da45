package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Bounds what a request stores, as stored. A batch's {@code context} and {@code integrations}
 * are merged into every item, so an event can be far larger stored than sent; each event is
 * encoded with its size bounded by {@code maxEventBytes} (the encoding stops as soon as it
 * passes, so an oversized event costs no more than the bound), and the request's events are
 * charged against {@link IngestOptions#maxStoredRequestBytes()} one by one, so an amplifying
 * request is refused long before its events are all built.
 */
final class StoredSizeBound {

  private static final JsonFactory JSON = new JsonFactory();

  private final long maxStoredRequestBytes;
  private final int maxEventBytes;
  private long charged;

  StoredSizeBound(long maxStoredRequestBytes, int maxEventBytes) {
    this.maxStoredRequestBytes = maxStoredRequestBytes;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * The compact JSON of {@code value} (as {@link JsonObject#toBuffer()} writes it), or null when
   * it is longer than {@code limit} bytes.
   */
  static Buffer encode(JsonObject value, int limit) {
    BoundedOutput out = new BoundedOutput(Math.min(limit, 4096), limit);
    try (JsonGenerator generator = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      JacksonCodec.encodeJson(value.getMap(), generator);
    } catch (EncodeException e) {
      if (e.getCause() instanceof OverLimit || findOverLimit(e)) {
        return null;
      }
      throw e;
    } catch (OverLimit e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.size() > limit ? null : Buffer.buffer(out.toByteArray());
  }

  private static boolean findOverLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OverLimit) {
        return true;
      }
    }
    return false;
  }

  /**
   * Counts one outcome against the request's bound: an accepted event by its stored size, an
   * event refused as too large by {@code maxEventBytes} (the encoding work it cost).
   *
   * @throws IngestException {@code 413 payload_too_large} once the request is over the bound
   */
  void charge(EventNormalizer.Outcome outcome) {
    if (outcome instanceof EventNormalizer.Accepted accepted) {
      charged += accepted.event().payloadBytes().length();
    } else if (((EventNormalizer.Rejected) outcome).code() == ErrorCode.EVENT_TOO_LARGE) {
      charged += maxEventBytes;
    }
    if (charged > maxStoredRequestBytes) {
      throw new IngestException(ErrorCode.PAYLOAD_TOO_LARGE, "the request's events would take more than "
          + "maxStoredRequestBytes (" + maxStoredRequestBytes + " bytes: 2 × maxRequestBytes + 1 KB × maxBatchEvents) "
          + "once stored, with the batch's context and integrations merged into every event; nothing was stored");
    }
  }

  /** The message of an event refused because its stored form is over maxEventBytes. */
  static String tooLargeStored(String what, int maxEventBytes) {
    return what + " is over maxEventBytes (" + maxEventBytes + " bytes) once stored (with the batch's "
        + "context and integrations merged in and Herald's fields added)";
  }

  /** An output that refuses to grow past its limit. */
  private static final class BoundedOutput extends ByteArrayOutputStream {
    private final int limit;

    BoundedOutput(int initial, int limit) {
      super(initial);
      this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
      check(1);
      super.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      check(len);
      super.write(b, off, len);
    }

    private void check(int more) {
      if ((long) count + more > limit) {
        throw new OverLimit();
      }
    }
  }

  private static final class OverLimit extends RuntimeException {
    OverLimit() {
      super(null, null, false, false);
    }
  }
}
