package dev.herald.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Checks a request's media type and encoding before its body is read, and turns the read
 * body into plain JSON bytes, inflating gzip with the decompressed size bounded so that a
 * small compressed body cannot expand into an unbounded one.
 */
final class BodyDecoder {

  private final int maxRequestBytes;

  BodyDecoder(int maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  /** Refuses media types and encodings Herald cannot read, before any byte of the body. */
  void checkHeaders(HttpServerRequest request) {
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null) {
      String mediaType = mediaType(contentType);
      if (!mediaType.isEmpty() && !mediaType.equals("application/json") && !mediaType.equals("text/plain")) {
        throw new IngestException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Content-Type '" + clip(mediaType) + "' is not supported: send application/json or text/plain");
      }
    }
    isGzip(request);
  }

  /** The JSON bytes of the body, inflated when it is gzip-encoded. */
  byte[] decode(HttpServerRequest request, Buffer body) {
    byte[] raw = body == null ? new byte[0] : body.getBytes();
    return isGzip(request) ? inflate(raw) : raw;
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

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /** Header values are client input: bounded before they go into a message. */
  private static String clip(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "…";
  }
}
