package dev.herald.ingest;

/**
 * A request Herald refuses, with the error code and the precise message the client gets.
 * Carries no stack trace: it is control flow for bad input, not a bug.
 */
class IngestException extends RuntimeException {

  private final ErrorCode code;

  IngestException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
