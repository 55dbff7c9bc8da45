package dev.herald.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a write key to its source. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual} against every source, so neither the position of the first
 * differing byte, the key's length nor which source matched shows in the timing.
 *
 * <p>An SDK sends the same {@code Authorization} header with every request, so a header that
 * authenticated is remembered with its source: repeating it costs a map lookup instead of a
 * Base64 decode and a digest. Only headers that matched a source are kept, so an unknown key
 * always takes the constant-time path; a cached header is found by its hash before any
 * comparison, which tells a guess nothing about a key it does not already equal. The memory is
 * bounded (the password part is ignored, so one valid key can be written in many ways) and is
 * dropped with this instance when the sources are reloaded. It is never logged.
 */
final class WriteKeyAuthenticator {

  /** Headers remembered at most; past it the memory starts again, costing only speed. */
  static final int MAX_REMEMBERED_HEADERS = 1024;
  /** Longer headers are checked every time rather than remembered. */
  static final int MAX_REMEMBERED_HEADER_LENGTH = 512;

  private final String[] sourceIds;
  private final byte[][] keyDigests;
  private final ConcurrentHashMap<String, String> sourceByHeader = new ConcurrentHashMap<>();

  WriteKeyAuthenticator(List<SourceOptions> sources) {
    sourceIds = new String[sources.size()];
    keyDigests = new byte[sources.size()][];
    for (int i = 0; i < sources.size(); i++) {
      sourceIds[i] = sources.get(i).id();
      keyDigests[i] = digest(sources.get(i).writeKey());
    }
  }

  /** The id of the source with this write key, or null when no source has it. */
  String sourceFor(String writeKey) {
    if (writeKey == null || writeKey.isEmpty()) {
      return null;
    }
    byte[] candidate = digest(writeKey);
    String match = null;
    for (int i = 0; i < keyDigests.length; i++) {
      if (MessageDigest.isEqual(candidate, keyDigests[i])) {
        match = sourceIds[i];
      }
    }
    return match;
  }

  /** The id of the source with this write key; a 401 error when no source has it. */
  String requireSource(String writeKey) {
    String sourceId = sourceFor(writeKey);
    if (sourceId == null) {
      throw new IngestException(ErrorCode.INVALID_WRITE_KEY, "unknown write key");
    }
    return sourceId;
  }

  /**
   * The id of the source whose write key is the user name of this HTTP Basic
   * {@code Authorization} header; null when the header is not well-formed Basic; a 401 error
   * when no source has the key.
   */
  String requireSourceOfBasic(String authorization) {
    String known = sourceByHeader.get(authorization);
    if (known != null) {
      return known;
    }
    String key = basicUser(authorization);
    if (key == null) {
      return null;
    }
    String sourceId = requireSource(key);
    if (authorization.length() <= MAX_REMEMBERED_HEADER_LENGTH) {
      if (sourceByHeader.size() >= MAX_REMEMBERED_HEADERS) {
        sourceByHeader.clear();
      }
      sourceByHeader.put(authorization, sourceId);
    }
    return sourceId;
  }

  /** Headers remembered now (tests). */
  int rememberedHeaders() {
    return sourceByHeader.size();
  }

  /**
   * The user name of an HTTP Basic {@code Authorization} header (Segment's clients send
   * {@code base64(writeKey + ":")}), or null when the header is not well-formed Basic.
   */
  static String basicUser(String authorization) {
    if (authorization == null || authorization.length() < 6
        || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
    String credentials = new String(decoded, StandardCharsets.UTF_8);
    int colon = credentials.indexOf(':');
    // The password part is ignored: Segment's protocol leaves it empty.
    return colon < 0 ? credentials : credentials.substring(0, colon);
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
