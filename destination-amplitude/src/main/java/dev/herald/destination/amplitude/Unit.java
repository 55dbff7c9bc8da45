package dev.herald.destination.amplitude;

import dev.herald.destination.api.SendResult;
import io.vertx.core.buffer.Buffer;

/**
 * One Amplitude event on its way: which stored event of the batch it carries ({@code owner}), its
 * encoded JSON ({@code length} bytes at {@code offset} of {@code bytes}: the request body it was
 * first written into), the ids Amplitude throttles by, and, once answered, its outcome.
 */
final class Unit {

  final int owner;
  final Buffer bytes;
  final int offset;
  final int length;
  final String userId;
  final String deviceId;
  final String partitionKey;
  SendResult outcome;

  Unit(int owner, Buffer bytes, int offset, int length, String userId, String deviceId, String partitionKey) {
    this.owner = owner;
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    this.userId = userId;
    this.deviceId = deviceId;
    this.partitionKey = partitionKey;
  }

  /** A unit whose JSON is the whole of {@code json}. */
  Unit(int owner, Buffer json, String userId, String deviceId, String partitionKey) {
    this(owner, json, 0, json.length(), userId, deviceId, partitionKey);
  }
}
