package dev.herald.destination.segment;

import dev.herald.destination.api.SendResult;
import io.vertx.core.buffer.Buffer;

/**
 * One event of a send as it goes into a request: its position in the batch, its JSON as sent,
 * and, once known, how it fared. Only the send that made it touches it.
 */
final class Message {

  final int index;
  final Buffer json;
  SendResult outcome;

  Message(int index, Buffer json) {
    this.index = index;
    this.json = json;
  }
}
