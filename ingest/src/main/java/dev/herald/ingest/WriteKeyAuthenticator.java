package dev.herald.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Maps a write key to its source. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual} against every source, so neither the position of the first
 * differing byte, the key's length nor which source matched shows in the timing.
 */
final class WriteKeyAuthenticator {

  private final String[] sourceIds;
  private final byte[][] keyDigests;

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
