package dev.herald.bus.log;

/** The log cannot take events now (disk full, I/O error, closing); the client should retry. */
public class LogUnavailableException extends RuntimeException {
  public LogUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public LogUnavailableException(String message) {
    super(message);
  }
}
