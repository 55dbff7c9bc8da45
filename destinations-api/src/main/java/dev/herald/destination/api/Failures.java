package dev.herald.destination.api;

import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * A short, secret-free description of why a request got no answer, for a
 * {@link SendResult.Retry}'s reason (what the admin API shows as a destination's last error).
 */
public final class Failures {

  private Failures() {}

  /**
   * Names the failure from the exception types of {@code error} and its causes only: Vert.x's own
   * messages may quote the request URI, which can hold a key. A timeout reads
   * {@code "no answer within <timeoutMs> ms"} (past the send timeout: {@code "no complete answer within
   * <sendTimeout> ms"}), a refused or reset connection
   * {@code "connection failed (<type>)"}, a failed DNS lookup {@code "unknown host"}, anything
   * else {@code "request failed (<type>)"}.
   */
  public static String describe(Throwable error, long timeoutMs) {
    int depth = 0;
    for (Throwable t = error; t != null && depth++ < 16; t = t.getCause()) { // bounded: causes may form a cycle
      String name = t.getClass().getSimpleName();
      if (t instanceof RequestDeadline.Exceeded) return t.getMessage();
      if (name.contains("Timeout")) return "no answer within " + timeoutMs + " ms";
      // Refused (ConnectException), reset (SocketException) or closed by the server mid-request.
      if (t instanceof SocketException || name.equals("HttpClosedException")) return "connection failed (" + name + ")";
      if (t instanceof UnknownHostException) return "unknown host";
    }
    return "request failed (" + (error == null ? "unknown" : error.getClass().getSimpleName()) + ")";
  }
}
