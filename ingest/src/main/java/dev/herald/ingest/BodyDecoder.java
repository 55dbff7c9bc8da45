package dev.herald.ingest;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Checks a request's media type, charset and encoding before its body is read, and turns the
 * read body into plain UTF-8 JSON bytes: gzip is inflated with the decompressed size bounded
 * (so a small compressed body cannot expand into an unbounded one), and anything that is not
 * UTF-8 is refused.
 */
final class BodyDecoder {

  private static final Set<String> RECORD_TYPES = Set.of("application/json", "text/plain",
      "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines");

  private final int maxRequestBytes;

  BodyDecoder(int maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * Refuses charsets and encodings Herald cannot read, before any byte of the body; on raw-topic
   * routes also media types other than JSON and NDJSON. Tracking routes take any declared media
   * type and read the body as JSON: SDKs label the same JSON {@code text/plain} (sendBeacon,
   * analytics-next), {@code application/x-www-form-urlencoded} (axios with a gzip Buffer, as
   * RudderStack's Node SDK posts) or nothing, and a 415 there loses the events.
   *
   * @param records true on raw-topic routes, which also take NDJSON
   */
  void checkHeaders(HttpServerRequest request, boolean records) {
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    // The common case, a tracking route's type without parameters, has nothing to check.
    if (contentType != null && (records || contentType.indexOf(';') >= 0)) {
      String[] parts = contentType.split(";");
      String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
      if (records && !mediaType.isEmpty() && !RECORD_TYPES.contains(mediaType)) {
        throw new IngestException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + clip(mediaType)
            + "' is not supported on raw topics: send application/json, text/plain or application/x-ndjson");
      }
      for (int i = 1; i < parts.length; i++) {
        checkCharset(parts[i]);
      }
    }
    isGzip(request);
  }

  /** True when the body is labelled as a form, which generic body handlers would decode as one. */
  static boolean isFormType(HttpServerRequest request) {
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null) {
      return false;
    }
    int start = 0;
    while (start < contentType.length() && contentType.charAt(start) <= ' ') {
      start++;
    }
    return contentType.regionMatches(true, start, "application/x-www-form-urlencoded", 0, 33)
        || contentType.regionMatches(true, start, "multipart/", 0, 10);
  }

  /** The UTF-8 JSON bytes of the body, inflated when it is gzip-encoded. Nothing writes to them. */
  byte[] decode(HttpServerRequest request, Buffer body) {
    byte[] raw = body == null ? new byte[0] : contentOf(body);
    byte[] json = isGzip(request) ? inflate(raw) : raw;
    requireUtf8(json);
    return json;
  }

  /**
   * The body's bytes: the buffer's own array when it holds exactly the body, as it does when the
   * body handler sized it from Content-Length (read only, as the buffer is no longer written);
   * otherwise a copy.
   */
  static byte[] contentOf(Buffer body) {
    if (body instanceof BufferInternal internal) {
      ByteBuf bytes = internal.getByteBuf();
      if (bytes.hasArray() && bytes.arrayOffset() == 0 && bytes.array().length == bytes.readableBytes()) {
        return bytes.array();
      }
    }
    return body.getBytes();
  }

  private static void checkCharset(String parameter) {
    int equals = parameter.indexOf('=');
    if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
      return;
    }
    String charset = parameter.substring(equals + 1).trim();
    if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
      charset = charset.substring(1, charset.length() - 1);
    }
    if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
      throw new IngestException(ErrorCode.INVALID_CHARSET,
          "charset '" + clip(charset) + "' is not supported: bodies must be UTF-8");
    }
  }

  private static void requireUtf8(byte[] json) {
    // JSON starts with ASCII; a zero byte among the first four means UTF-16 or UTF-32.
    for (int i = 0; i < Math.min(4, json.length); i++) {
      if (json[i] == 0) {
        throw new IngestException(ErrorCode.INVALID_CHARSET,
            "the body is not UTF-8 (a zero byte at offset " + i + " suggests UTF-16 or UTF-32)");
      }
    }
    int invalid = Utf8.firstInvalidByte(json, json.length);
    if (invalid >= 0) {
      throw new IngestException(ErrorCode.INVALID_CHARSET,
          "the body is not valid UTF-8: malformed byte sequence at offset " + invalid);
    }
  }

  private boolean isGzip(HttpServerRequest request) {
    String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    if (encoding == null) {
      return false;
    }
    String normalized = encoding.trim().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "", "identity" -> false;
      case "gzip", "x-gzip" -> true;
      default -> throw new IngestException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Encoding '" + clip(normalized) + "' is not supported: send gzip or no encoding");
    };
  }

  private byte[] inflate(byte[] compressed) {
    byte[] out = new byte[Math.min(maxRequestBytes + 1, Math.max(1024, compressed.length * 4))];
    int length = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
      while (true) {
        if (length == out.length) {
          if (out.length > maxRequestBytes) {
            throw tooLarge();
          }
          out = Arrays.copyOf(out, Math.min(maxRequestBytes + 1, out.length * 2));
        }
        int read = in.read(out, length, out.length - length);
        if (read < 0) {
          break;
        }
        length += read;
        if (length > maxRequestBytes) {
          throw tooLarge();
        }
      }
    } catch (IOException e) {
      throw new IngestException(ErrorCode.INVALID_ENCODING,
          "the body is declared gzip but is not valid gzip data: " + clip(String.valueOf(e.getMessage())));
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }

  private IngestException tooLarge() {
    return new IngestException(ErrorCode.PAYLOAD_TOO_LARGE,
        "the decompressed request body exceeds maxRequestBytes (" + maxRequestBytes + " bytes)");
  }

  /** Header values are client input: bounded before they go into a message. */
  static String clip(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "…";
  }
}
