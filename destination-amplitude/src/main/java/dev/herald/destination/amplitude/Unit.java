package dev.herald.destination.amplitude;

import dev.herald.destination.api.SendResult;
import io.vertx.core.buffer.Buffer;

/**
 * One Amplitude event on its way: which stored event of the batch it carries ({@code owner}),
 * its encoded JSON, the ids Amplitude throttles by, and, once answered, its outcome.
 */
final class Unit {

  final int owner;
  final Buffer json;
  final String userId;
  final String deviceId;
  final String partitionKey;
  SendResult outcome;

  Unit(int owner, Buffer json, String userId, String deviceId, String partitionKey) {
    this.owner = owner;
    this.json = json;
    this.userId = userId;
    this.deviceId = deviceId;
    this.partitionKey = partitionKey;
  }
}
